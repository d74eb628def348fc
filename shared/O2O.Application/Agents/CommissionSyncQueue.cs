using Azure.Storage.Queues;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.Agents;

/// <summary>
/// Follows order events for the agents' ledgers: an attributed order's events that can move its
/// commission (paid, handed over, cancelled, an after-sales step) ask the SyncCommission queue
/// function for a sync before they are marked published, so none is missed.
/// </summary>
public sealed class CommissionSyncQueue(QueueServiceClient queues) : IOrderEventFollower
{
    public Task BeforeMarkedAsync(Order order, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken) =>
        order.Attribution is not null && events.Any(e => Moves(e.Type)) ? RequestAsync(order.Id, cancellationToken) : Task.CompletedTask;

    /// <summary>Whether an event of an attributed order can change its commission.</summary>
    public static bool Moves(string eventType) =>
        eventType is OrderEventTypes.Paid or OrderEventTypes.PickedUp or OrderEventTypes.Delivered or OrderEventTypes.Cancelled
        || eventType.StartsWith(OrderEventTypes.AfterSalesPrefix, StringComparison.Ordinal);

    public Task RequestAsync(string orderId, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.CommissionSyncQueue).SendMessageAsync(TracedMessage.Of(orderId), cancellationToken);
}
