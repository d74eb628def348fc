using O2O.Application.Pickup;
using O2O.Application.Storage;
using O2O.Application.StoreOrders;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Publishes an order's unpublished outbox events to the Event Grid topic, one batch in sequence
/// order, marking them published only after the topic took them. A crash or a failure between
/// the two sends them again later under the same ids (at-least-once; consumers dedupe by id).
/// Runs for one order take turns within an instance (nudges of one order often arrive in one
/// batch), so the second finds the first's events marked; runs on two instances may both send
/// one, never skip one. It also projects the order into its store's queue.
/// </summary>
public sealed class OutboxRelay(OrderTable orders, StoreOrderTable storeOrders, DomainEventPublisher publisher, KeyedTurns turns, TimeProvider clock)
{
    /// <summary>Returns how many events this run sent.</summary>
    public async Task<int> RelayAsync(string orderId, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return 0;
        OrderTable.StoredOrder? stored;
        List<OrderTable.OutboxEntity> unpublished;
        // The turn covers what two runs would race on: reading, publishing, marking. Kept waiting
        // too long, a run goes ahead anyway: a duplicate is allowed, a stall is not.
        using (await turns.EnterAsync(["relay|" + orderId], cancellationToken))
        {
            stored = await orders.GetAsync(consumerKey, orderId, cancellationToken);
            if (stored is null) return 0;
            unpublished = stored.Outbox.Where(e => e.State != OutboxState.Published).ToList();
            // A failure throws before anything is marked: the queue's redelivery sends the batch again.
            await publisher.PublishAsync(unpublished, cancellationToken);
            var publishedAt = clock.GetUtcNow();
            foreach (var evt in unpublished) await orders.MarkPublishedAsync(evt, publishedAt, cancellationToken);
        }
        // The store's queue follows the order's state; a projection never overwrites a newer one, so it needs no turn.
        await storeOrders.ProjectAsync(stored, cancellationToken);
        return unpublished.Count;
    }

    public static bool HasUnpublished(OrderTable.StoredOrder stored) => stored.Outbox.Any(e => e.State != OutboxState.Published);
}
