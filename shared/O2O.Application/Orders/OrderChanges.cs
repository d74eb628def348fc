using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using O2O.Application.Payments;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// The one way an existing order changes: load it, let the aggregate decide, write it (order row,
/// timeline, events and list entry in one transaction) if anything changed, re-read and decide
/// again when another writer won, then have the outbox relay publish the new events.
/// </summary>
/// <remarks>
/// Nothing may leave an event unpublished for good. Before a write with events, a relay nudge is
/// queued hidden for <see cref="SweepDelay"/>; once the write is in, it is made visible at once.
/// If the instance dies between the two, the hidden nudge surfaces a minute later and the relay
/// publishes then (a write that failed leaves a nudge that finds nothing: one cheap relay run).
/// A retry within this call whose first try committed and then saw a 412 finds the change made
/// and writes nothing: the events are there, so the hidden nudge is shown all the same. And a
/// later call that loads events unpublished for over <see cref="StaleAfter"/> (their nudge was
/// lost) nudges again; fresher ones have their nudge on the way, and a second one only makes the
/// relay run twice. Likewise a change that decides a refund first lists it among the open
/// refunds, which the refund reconciler walks.
/// </remarks>
public sealed class OrderChanges(OrderTable orders, OptimisticConcurrency concurrency, QueueServiceClient queues, OpenRefunds openRefunds, TimeProvider clock)
{
    /// <summary>How long a change's events may wait for the relay when the change's own nudge was lost.</summary>
    public static readonly TimeSpan SweepDelay = TimeSpan.FromMinutes(1);

    /// <summary>An event unpublished this long after it happened has lost its nudge.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private QueueClient Outbox => queues.GetQueueClient(StorageNames.OrderOutboxQueue);

    /// <summary>
    /// Applies <paramref name="change"/>. What the aggregate recorded is written even when the
    /// change answers an error (a refused payment is kept as an alert, for instance).
    /// </summary>
    public async Task<Result<T>> ApplyAsync<T>(string orderId, Func<Order, Result<T>> change, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return NotFound(orderId);
        SendReceipt? sweep = null;
        var unpublished = false;
        var result = await concurrency.RunAsync<Result<T>>(async ct =>
        {
            var stored = await orders.GetAsync(consumerKey, orderId, ct);
            if (stored is null) return NotFound(orderId);
            var stale = clock.GetUtcNow() - StaleAfter;
            unpublished = stored.Outbox.Any(e => e.State != OutboxState.Published && (sweep is not null || e.OccurredAt < stale));
            var refundBefore = stored.Order.Refund?.OutRefundNo;
            var decided = change(stored.Order);
            if (stored.Order.Changed)
            {
                if (stored.Order.NewEvents.Count > 0) sweep ??= await ScheduleRelayAsync(orderId, SweepDelay, ct);
                if (stored.Order.Refund is { Status: RefundStatus.Pending } refund && refund.OutRefundNo != refundBefore)
                    await openRefunds.OpenAsync(orderId, clock.GetUtcNow(), ct);
                await orders.SaveAsync(stored, ct); // 412 when another writer won: read and decide again
                unpublished |= stored.Order.NewEvents.Count > 0;
            }
            return decided;
        }, cancellationToken);
        if (!unpublished) return result;
        if (sweep is null) await NudgeRelayAsync(orderId, cancellationToken);
        else await Outbox.UpdateMessageAsync(sweep.MessageId, sweep.PopReceipt, orderId, TimeSpan.Zero, cancellationToken);
        return result;
    }

    /// <summary>Tells the outbox relay that the order has events to publish.</summary>
    public Task NudgeRelayAsync(string orderId, CancellationToken cancellationToken) =>
        Outbox.SendMessageAsync(orderId, cancellationToken);

    /// <summary>A relay nudge that surfaces after <paramref name="delay"/> unless made visible sooner.</summary>
    public async Task<SendReceipt> ScheduleRelayAsync(string orderId, TimeSpan delay, CancellationToken cancellationToken) =>
        await Outbox.SendMessageAsync(orderId, visibilityTimeout: delay, cancellationToken: cancellationToken);

    public static Error NotFound(string orderId) => Error.NotFound($"There is no order '{orderId}'.");
}
