using O2O.Application.Orders;
using O2O.Application.Storage.Outbox;

namespace O2O.Application.StoreOrders;

/// <summary>The store's queue follows the order's state from its payment on: a store has nothing to do with an order never paid.</summary>
public sealed class StoreQueueFollower(StoreOrderTable storeOrders) : IOrderEventFollower
{
    public Task AfterMarkedAsync(OrderTable.StoredOrder stored, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken) =>
        stored.Order.Payment is null ? Task.CompletedTask : storeOrders.ProjectAsync(stored, cancellationToken);
}
