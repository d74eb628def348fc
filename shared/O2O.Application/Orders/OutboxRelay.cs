using System.Diagnostics;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Publishes an order's unpublished outbox events to the Event Grid topic, one batch in sequence
/// order, marking them published (one transaction) only after the topic took them; what follows an
/// order's events (its store's queue, the case lists, the agents' ledgers) registers as an
/// <see cref="IOrderEventFollower"/> and is called around the marking. The change that wrote the events publishes them at once,
/// from what it has in hand (<see cref="PublishAsync"/>); a nudge or a change's sweep message
/// that surfaces reads the order first (<see cref="RelayAsync"/>). A crash or a failure between
/// publishing and marking sends them again later under the same ids (at-least-once; consumers
/// dedupe by id). Runs for one order take turns within an instance, so the second finds the
/// first's events marked; runs on two instances may both send one, never skip one.
/// </summary>
public sealed class OutboxRelay(
    OrderTable orders, IEnumerable<IOrderEventFollower> followers, DomainEventPublisher publisher, KeyedTurns turns, TimeProvider clock)
{
    /// <summary>Reads the order and publishes what is unpublished; returns how many events this run sent.</summary>
    public async Task<int> RelayAsync(string orderId, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return 0;
        OrderTable.StoredOrder? stored;
        List<OutboxRow> unpublished;
        int sent;
        Activity? span = null;
        try
        {
            // The turn covers what two runs would race on: reading, publishing, marking. Kept waiting
            // too long, a run goes ahead anyway: a duplicate is allowed, a stall is not.
            using (await turns.EnterAsync([TurnKey(orderId)], cancellationToken))
            {
                stored = await orders.GetAsync(consumerKey, orderId, cancellationToken);
                if (stored is null) return 0;
                unpublished = stored.Outbox.Where(e => e.State != OutboxState.Published).ToList();
                span = SpanOf(unpublished);
                sent = await PublishAndMarkAsync(stored.Order, unpublished, cancellationToken);
            }
            await ProjectAsync(stored, unpublished, cancellationToken);
        }
        finally
        {
            span?.Dispose();
        }
        return sent;
    }

    /// <summary>Publishes <paramref name="events"/> of an order as just written, reading nothing back.</summary>
    public async Task PublishAsync(OrderTable.StoredOrder written, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        using var span = SpanOf(events);
        using (await turns.EnterAsync([TurnKey(written.Order.Id)], cancellationToken))
            await PublishAndMarkAsync(written.Order, events, cancellationToken);
        await ProjectAsync(written, events, cancellationToken);
    }

    /// <summary>
    /// The relay's span for <paramref name="events"/>: in the trace of the step that wrote the newest
    /// (what the followers queue continues it), linked to the others' and to whatever runs the relay now.
    /// </summary>
    private static Activity? SpanOf(IReadOnlyList<OutboxRow> events)
    {
        if (events.Count == 0) return null;
        var newest = events[^1];
        var others = events.Select(e => e.StepContext()).OfType<ActivityContext>().Where(c => c.TraceId != newest.StepContext()?.TraceId).Distinct();
        var span = O2OTelemetry.Continue("relay order events", ActivityKind.Internal, newest.TraceParent, newest.TraceState, others);
        span?.SetTag("o2o.order_id", newest.OrderId);
        return span;
    }

    public static bool HasUnpublished(OrderTable.StoredOrder stored) => stored.Outbox.Any(e => e.State != OutboxState.Published);

    private static string TurnKey(string orderId) => "relay|" + orderId;

    private async Task<int> PublishAndMarkAsync(Order order, IReadOnlyList<OutboxRow> unpublished, CancellationToken cancellationToken)
    {
        if (unpublished.Count == 0) return 0;
        // A failure throws before anything is marked: the nudge or the sweep sends the batch again.
        await publisher.PublishAsync(unpublished, cancellationToken);
        foreach (var follower in followers) await follower.BeforeMarkedAsync(order, unpublished, cancellationToken);
        await orders.MarkPublishedAsync(unpublished, clock.GetUtcNow(), cancellationToken);
        return unpublished.Count;
    }

    /// <summary>What follows the order's events once they are marked: each follower's projection, which never writes over a newer one, so it needs no
    /// turn.</summary>
    private async Task ProjectAsync(OrderTable.StoredOrder stored, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        foreach (var follower in followers) await follower.AfterMarkedAsync(stored, events, cancellationToken);
    }
}
