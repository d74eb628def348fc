using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// The one way an existing order changes: load it, let the aggregate decide, write it (order row,
/// timeline, events and list entry in one transaction) if anything changed, re-read and decide
/// again when another writer won, then nudge the outbox relay for the new events.
/// </summary>
public sealed class OrderChanges(OrderTable orders, OptimisticConcurrency concurrency, QueueServiceClient queues)
{
    /// <summary>
    /// Applies <paramref name="change"/>. What the aggregate recorded is written even when the
    /// change answers an error (a refused payment is kept as an alert, for instance).
    /// </summary>
    public async Task<Result<T>> ApplyAsync<T>(string orderId, Func<Order, Result<T>> change, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return NotFound(orderId);
        Order? written = null;
        var result = await concurrency.RunAsync<Result<T>>(async ct =>
        {
            var stored = await orders.GetAsync(consumerKey, orderId, ct);
            if (stored is null) return NotFound(orderId);
            var decided = change(stored.Order);
            if (stored.Order.Changed)
            {
                await orders.SaveAsync(stored, ct); // 412 when another writer won: read and decide again
                written = stored.Order;
            }
            return decided;
        }, cancellationToken);
        if (written?.NewEvents.Count > 0) await NudgeRelayAsync(orderId, cancellationToken);
        return result;
    }

    /// <summary>Tells the outbox relay that the order has events to publish.</summary>
    public Task NudgeRelayAsync(string orderId, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.OrderOutboxQueue).SendMessageAsync(orderId, cancellationToken);

    public static Error NotFound(string orderId) => Error.NotFound($"There is no order '{orderId}'.");
}
