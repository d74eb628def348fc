using O2O.Application.Pickup;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Publishes an order's unpublished outbox events to the Event Grid topic, one batch in sequence
/// order, marking them published only after the topic took them. A crash or a failure between
/// the two sends them again later under the same ids (at-least-once; consumers dedupe by id);
/// two runs at once may both send one, never skip one. It also projects the order into its
/// store's queue.
/// </summary>
public sealed class OutboxRelay(OrderTable orders, StoreOrderIndex storeOrders, DomainEventPublisher publisher, TimeProvider clock)
{
    /// <summary>Returns how many events this run sent.</summary>
    public async Task<int> RelayAsync(string orderId, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return 0;
        var stored = await orders.GetAsync(consumerKey, orderId, cancellationToken);
        if (stored is null) return 0;
        var unpublished = stored.Outbox.Where(e => e.State != OutboxState.Published).ToList();
        // A failure throws before anything is marked: the queue's redelivery sends the batch again.
        await publisher.PublishAsync(unpublished, cancellationToken);
        var publishedAt = clock.GetUtcNow();
        foreach (var evt in unpublished) await orders.MarkPublishedAsync(evt, publishedAt, cancellationToken);
        // The store's queue follows the order's state; this runs after every relayed change.
        await storeOrders.ProjectAsync(stored, cancellationToken);
        return unpublished.Count;
    }

    public static bool HasUnpublished(OrderTable.StoredOrder stored) => stored.Outbox.Any(e => e.State != OutboxState.Published);
}
