using System.Text.Json;
using Azure.Storage.Queues;
using O2O.Application.Pickup;
using O2O.Application.Storage;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Publishes an order's unpublished outbox events to the internal "order-events" queue as
/// CloudEvents, in sequence order, marking each published only after it was sent. A crash
/// between the two re-sends the event later with the same id (at-least-once; consumers dedupe
/// by id); two runs at once may both send one, never skip one. It also projects the order into
/// its store's queue.
/// </summary>
public sealed class OutboxRelay(OrderTable orders, StoreOrderIndex storeOrders, QueueServiceClient queues, TimeProvider clock)
{
    public const string Source = "/o2o";

    /// <summary>Returns how many events this run sent.</summary>
    public async Task<int> RelayAsync(string orderId, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return 0;
        var stored = await orders.GetAsync(consumerKey, orderId, cancellationToken);
        if (stored is null) return 0;
        var events = queues.GetQueueClient(StorageNames.OrderEventsQueue);
        var sent = 0;
        foreach (var evt in stored.Outbox.Where(e => e.State != OutboxState.Published))
        {
            // Stop at the first failure (by throwing): a later event must not overtake an earlier one.
            await events.SendMessageAsync(ToCloudEvent(evt), cancellationToken);
            await orders.MarkPublishedAsync(evt, clock.GetUtcNow(), cancellationToken);
            sent++;
        }
        // The store's queue follows the order's state; this runs after every relayed change.
        await storeOrders.ProjectAsync(stored, cancellationToken);
        return sent;
    }

    public static bool HasUnpublished(OrderTable.StoredOrder stored) => stored.Outbox.Any(e => e.State != OutboxState.Published);

    private static string ToCloudEvent(OrderTable.OutboxEntity evt) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["specversion"] = "1.0",
        ["id"] = evt.EventId,
        ["type"] = evt.Type,
        ["source"] = Source,
        ["subject"] = $"orders/{evt.OrderId}",
        ["time"] = evt.OccurredAt,
        ["datacontenttype"] = "application/json",
        ["data"] = JsonDocument.Parse(evt.DataJson).RootElement,
    });
}
