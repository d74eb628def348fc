using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Cancels an order that the store has not accepted: the order's transition with its event (and,
/// if it was paid, its refund decided), then the release of its stock and the refund request. A crash between the two leaves a confirmed reservation of a cancelled
/// order, which the sweeper releases once the order's payment deadline has passed.
/// </summary>
public sealed class OrderCancellation(
    OrderTable orders, StockReservations reservations, OptimisticConcurrency concurrency, QueueServiceClient queues, TimeProvider clock)
{
    public const string ByConsumer = "consumer";
    public const string BySystem = "system";

    /// <summary>Cancelling an order that is already cancelled answers it again and changes nothing.</summary>
    public async Task<Result<OrderView>> CancelAsync(string orderId, string by, string reason, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return Error.NotFound($"There is no order '{orderId}'.");
        var outcome = await concurrency.RunAsync<Result<Order>>(async ct =>
        {
            var stored = await orders.GetAsync(consumerKey, orderId, ct);
            if (stored is null) return Error.NotFound($"There is no order '{orderId}'.");
            if (stored.Order.Status == OrderStatus.Cancelled) return stored.Order;
            var cancelled = stored.Order.Cancel(clock.GetUtcNow(), by, reason);
            if (cancelled.IsSuccess) await orders.SaveAsync(stored, ct); // a concurrent change makes this 412: read again
            return cancelled;
        }, cancellationToken);
        if (!outcome.IsSuccess) return outcome.Error;

        var order = outcome.Value;
        await reservations.ReleaseAsync(order.StoreId, order.Id, cancellationToken);
        if (order.Refund?.Status == RefundStatus.Pending)
            await queues.GetQueueClient(StorageNames.RefundRequestsQueue).SendMessageAsync(order.Id, cancellationToken);
        if (order.NewEvents.Count > 0)
            await queues.GetQueueClient(StorageNames.OrderOutboxQueue).SendMessageAsync(order.Id, cancellationToken);
        return OrderView.From(order);
    }
}
