using O2O.Application.Orders;
using O2O.Application.Storage.Outbox;
using O2O.Application.Stores;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;

namespace O2O.Application.Dispatch;

/// <summary>
/// What a delivery's end does to the store's stock, when the order's event of it is published and
/// before that event is marked: delivered, its units leave the shelf; brought back and cancelled,
/// they are available again. The courier's change and the stock are in different partitions, and a
/// stock step lost after the change (a crash, an outage) would leave the units held for good;
/// riding on the outbox, it is retried until done, and doing it twice changes nothing
/// (<see cref="StockReservations"/> settles a reservation once).
/// </summary>
public sealed class DeliveryStock(StockReservations reservations) : IOrderEventFollower
{
    public async Task BeforeMarkedAsync(Order order, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        if (order.Status == OrderStatus.Delivered && events.Any(e => e.Type == OrderEventTypes.Delivered))
            await reservations.ConsumeAsync(order.StoreId, order.Id, order.UnitsToHandOver, cancellationToken);
        else if (order is { Status: OrderStatus.Cancelled, Delivery.Status: CourierStatus.Returned } && events.Any(e => e.Type == OrderEventTypes.Cancelled))
            await reservations.ReleaseAsync(order.StoreId, order.Id, cancellationToken);
    }
}
