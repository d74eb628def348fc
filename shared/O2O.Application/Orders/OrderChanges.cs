using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using O2O.Application.Payments;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.Telemetry;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// The one way an existing order changes: load it, let the aggregate decide, write it (order row,
/// timeline, events and list entry in one transaction) if anything changed, re-read and decide
/// again when another writer won, then publish the new events from what it has in hand.
/// </summary>
/// <remarks>
/// Nothing may leave an event unpublished for good. Before a write with events, a relay sweep
/// message is queued hidden for <see cref="SweepDelay"/>; once the events are published it is
/// deleted, and if publishing fails it is made visible at once, for the relay. If the instance
/// dies in between, the sweep surfaces a minute later and the relay publishes then (a write that
/// failed leaves a sweep that finds nothing: one cheap relay run). A retry within this call whose
/// first try committed and then saw a 412 finds the change made and writes nothing: the events
/// are there, so they are published all the same. And a later call that loads events unpublished
/// for over <see cref="StaleAfter"/> (their sweep was lost) publishes them too; fresher ones have
/// their publisher on the way, and a second one only sends them twice. Likewise a change that
/// decides a refund first lists it among the open refunds, which the refund reconciler walks.
/// </remarks>
public sealed partial class OrderChanges(
    OrderTable orders, OptimisticConcurrency concurrency, QueueServiceClient queues, RefundTable openRefunds, OutboxRelay relay,
    TimeProvider clock, ILogger<OrderChanges> logger)
{
    /// <summary>How long a change's events may wait for the relay when the change could not publish them itself.</summary>
    public static readonly TimeSpan SweepDelay = TimeSpan.FromMinutes(1);

    /// <summary>An event unpublished this long after it happened has lost its sweep.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private QueueClient Outbox => queues.GetQueueClient(StorageNames.OrderOutboxQueue);

    /// <summary>
    /// Applies <paramref name="change"/>. What the aggregate recorded is written even when the
    /// change answers an error (a refused payment is kept as an alert, for instance).
    /// </summary>
    public Task<Result<T>> ApplyAsync<T>(string orderId, Func<Order, Result<T>> change, CancellationToken cancellationToken) =>
        ApplyAsync(orderId, loaded: null, change, cancellationToken);

    /// <summary>Applies <paramref name="change"/> to an order the caller has just read: its first try reads nothing.</summary>
    public Task<Result<T>> ApplyAsync<T>(OrderTable.StoredOrder loaded, Func<Order, Result<T>> change, CancellationToken cancellationToken) =>
        ApplyAsync(loaded.Order.Id, loaded, change, cancellationToken);

    private async Task<Result<T>> ApplyAsync<T>(string orderId, OrderTable.StoredOrder? loaded,
        Func<Order, Result<T>> change, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return NotFound(orderId);
        SendReceipt? sweep = null;
        (OrderTable.StoredOrder Order, List<OutboxRow> Events)? toPublish = null;
        var result = await concurrency.RunAsync<Result<T>>(async ct =>
        {
            var stored = loaded ?? await orders.GetAsync(consumerKey, orderId, ct);
            loaded = null; // a lost race reads again
            if (stored is null) return NotFound(orderId);
            // Another writer's fresh events are its own to publish; stale ones, or a committed earlier try's, are this call's.
            var stale = clock.GetUtcNow() - StaleAfter;
            var events = stored.Outbox.Where(e => e.State != OutboxState.Published && (sweep is not null || e.OccurredAt < stale)).ToList();
            toPublish = events.Count > 0 ? (stored, events) : null;
            var refundsBefore = stored.Order.Refunds.Select(r => r.OutRefundNo).ToHashSet(StringComparer.Ordinal);
            var decided = change(stored.Order);
            if (stored.Order.Changed)
            {
                var newEvents = stored.Order.NewEvents.Count;
                if (newEvents > 0) sweep ??= await ScheduleRelayAsync(orderId, SweepDelay, ct);
                foreach (var refund in stored.Order.Refunds.Where(r => r.Status == RefundStatus.Pending && !refundsBefore.Contains(r.OutRefundNo)))
                    await openRefunds.OpenAsync(refund.OutRefundNo, clock.GetUtcNow(), ct);
                var written = await orders.SaveAsync(stored, ct); // 412 when another writer won: read and decide again
                events.AddRange(written.Outbox.TakeLast(newEvents));
                toPublish = events.Count > 0 ? (written, events) : null;
            }
            return decided;
        }, cancellationToken);
        if (toPublish is { } publish) await PublishAsync(publish.Order, publish.Events, sweep, cancellationToken);
        else if (sweep is not null) await DropSweepAsync(sweep, cancellationToken);
        return result;
    }

    /// <summary>
    /// Publishes the events of a new order in the request that wrote it; failing that, nudges the
    /// relay. The order is committed either way (and the reservation sweeper finds its event should
    /// the nudge be lost too), so nothing here fails the caller.
    /// </summary>
    public Task PublishCreatedAsync(OrderTable.StoredOrder created, CancellationToken cancellationToken) =>
        PublishAsync(created, created.Outbox, sweep: null, cancellationToken);

    /// <summary>
    /// Publishes a change's events in the request that made it. Failing that, the relay does it:
    /// the sweep is shown at once (or, without one, a nudge sent). The change is committed either
    /// way, so the caller hears of its success; if even that fails, the sweep still surfaces in a
    /// minute, and events without one are stale for the next change that loads the order.
    /// </summary>
    private async Task PublishAsync(
        OrderTable.StoredOrder written, IReadOnlyList<OutboxRow> events, SendReceipt? sweep, CancellationToken cancellationToken)
    {
        var orderId = written.Order.Id;
        try
        {
            await relay.PublishAsync(written, events, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, orderId);
            try
            {
                if (sweep is null) await NudgeRelayAsync(orderId, cancellationToken);
                else await Outbox.UpdateMessageAsync(sweep.MessageId, sweep.PopReceipt, TracedMessage.Of(orderId), TimeSpan.Zero, cancellationToken);
            }
            catch (RequestFailedException nudge)
            {
                LogNudgeFailed(logger, nudge, orderId);
            }
            return;
        }
        if (sweep is not null) await DropSweepAsync(sweep, cancellationToken);
    }

    /// <summary>The sweep is not needed any more; if it cannot be deleted, it surfaces and finds nothing to do.</summary>
    private async Task DropSweepAsync(SendReceipt sweep, CancellationToken cancellationToken)
    {
        try
        {
            await Outbox.DeleteMessageAsync(sweep.MessageId, sweep.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            LogSweepKept(logger, e, sweep.MessageId);
        }
    }

    /// <summary>Tells the outbox relay that the order has events to publish.</summary>
    public Task NudgeRelayAsync(string orderId, CancellationToken cancellationToken) =>
        Outbox.SendMessageAsync(TracedMessage.Of(orderId), cancellationToken);

    /// <summary>A relay nudge that surfaces after <paramref name="delay"/> unless made visible sooner.</summary>
    public async Task<SendReceipt> ScheduleRelayAsync(string orderId, TimeSpan delay, CancellationToken cancellationToken) =>
        await Outbox.SendMessageAsync(TracedMessage.Of(orderId), visibilityTimeout: delay, cancellationToken: cancellationToken);

    public static Error NotFound(string orderId) => Error.NotFound($"There is no order '{orderId}'.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} changed but its events could not be published now; the relay will")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: the relay could not be told now; its sweep, or the next change, publishes the events")]
    private static partial void LogNudgeFailed(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay sweep {MessageId} could not be deleted; it will find nothing to publish")]
    private static partial void LogSweepKept(ILogger logger, Exception exception, string messageId);
}
