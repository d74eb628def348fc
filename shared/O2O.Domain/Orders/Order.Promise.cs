namespace O2O.Domain.Orders;

/// <summary>What happened to an order's promise: the alerts raised (once each), when it was broken, and by how many minutes it was late when kept.</summary>
public sealed record PromiseWatch(IReadOnlyList<string> Raised, DateTimeOffset? BreachedAt, int? MinutesLate)
{
    public static readonly PromiseWatch None = new([], null, null);
}

/// <summary>The checks of a promise, each at its moment: a reason for an alert, and whether it is the breach itself.</summary>
public static class PromiseChecks
{
    public const string NotAccepted = "not_accepted";
    public const string NoRider = "no_rider";
    public const string RiderLate = "rider_late";
    public const string NotReady = "not_ready";
    public const string NotDelivered = "not_delivered";

    /// <summary>An order not accepted this long after its work should have started is at risk.</summary>
    public static readonly TimeSpan AcceptWithin = TimeSpan.FromMinutes(5);

    /// <summary>A rider not yet on the way this long before the goods are due at the door is late.</summary>
    public static readonly TimeSpan RiderLateBefore = TimeSpan.FromMinutes(10);
}

/// <summary>Watching the promise: at each of its moments the order says whether it is at risk or broken.</summary>
public sealed partial class Order
{
    public PromiseWatch Watch { get; private set; } = PromiseWatch.None;

    /// <summary>
    /// Raises what is due by <paramref name="now"/> and not raised yet: at the start-by, an order not
    /// accepted is at risk; for a delivery, no rider by the ready-by or none on the way shortly before
    /// the delivered-by is at risk; the promised moment passing unkept is the breach. Answers when to
    /// look next; null when nothing is left to watch (kept, broken, cancelled).
    /// </summary>
    public DateTimeOffset? WatchPromise(DateTimeOffset now)
    {
        if (Promise is not { } promise || Watch.BreachedAt is not null || Kept || Status is OrderStatus.Cancelled or OrderStatus.PendingPayment) return null;
        foreach (var (reason, at, applies) in Checks(promise))
        {
            if (at > now) return at;
            if (Watch.Raised.Contains(reason) || !applies()) continue;
            var breach = reason is PromiseChecks.NotReady or PromiseChecks.NotDelivered;
            Watch = Watch with { Raised = [.. Watch.Raised, reason], BreachedAt = breach ? now : null };
            Raise(breach ? OrderEventTypes.PromiseBreached : OrderEventTypes.PromiseAtRisk, now,
                new PromiseAlert(Id, StoreId, reason, PromisedAt(promise), now));
            if (breach) return null;
        }
        return null;
    }

    /// <summary>The moment the buyer holds the store to: ready by for a pickup, delivered by for a delivery.</summary>
    private DateTimeOffset PromisedAt(OrderPromise promise) => Mode == FulfillmentMode.Delivery ? promise.DeliveredBy ?? promise.ReadyBy : promise.ReadyBy;

    private bool Kept => Mode == FulfillmentMode.Delivery
        ? Status == OrderStatus.Delivered
        : Status is OrderStatus.ReadyForPickup or OrderStatus.PickedUp;

    /// <summary>The promise's first moment to look at; null without a promise.</summary>
    public DateTimeOffset? FirstPromiseCheck => Promise is { } promise ? Checks(promise).Min(c => c.At) : null;

    /// <summary>The moments to look at, earliest first (a store that prepares in no time may be due ready before it is due accepted).</summary>
    private IEnumerable<(string Reason, DateTimeOffset At, Func<bool> Applies)> Checks(OrderPromise promise) =>
        UnorderedChecks(promise).OrderBy(c => c.At);

    private IEnumerable<(string Reason, DateTimeOffset At, Func<bool> Applies)> UnorderedChecks(OrderPromise promise)
    {
        yield return (PromiseChecks.NotAccepted, promise.StartBy() + PromiseChecks.AcceptWithin, () => Status == OrderStatus.Paid);
        if (Mode == FulfillmentMode.Pickup)
        {
            yield return (PromiseChecks.NotReady, promise.ReadyBy, () => true);
            yield break;
        }
        var deliveredBy = PromisedAt(promise);
        yield return (PromiseChecks.NoRider, promise.ReadyBy, () => Status is OrderStatus.Paid or OrderStatus.Accepted or OrderStatus.Dispatching);
        yield return (PromiseChecks.RiderLate, deliveredBy - PromiseChecks.RiderLateBefore, () => Status != OrderStatus.InTransit);
        yield return (PromiseChecks.NotDelivered, deliveredBy, () => true);
    }

    /// <summary>Kept at <paramref name="at"/>: how late, in whole minutes started, for a compensation later (0: on time).</summary>
    private void NoteKept(DateTimeOffset at)
    {
        if (Promise is not { } promise || !Kept || Watch.MinutesLate is not null) return; // a pickup is kept when ready, not again when collected
        var late = at - PromisedAt(promise);
        Watch = Watch with { MinutesLate = late <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(late.TotalMinutes) };
    }
}
