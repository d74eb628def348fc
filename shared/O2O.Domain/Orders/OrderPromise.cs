using O2O.Domain.Stores;

namespace O2O.Domain.Orders;

/// <summary>
/// When the buyer was told the order would be ready (pickup) and at the door (delivery): the slot
/// they chose, or, for "as soon as possible", the store's preparation time and the ride from when
/// the order reaches the store (payment). Promised at checkout and kept through a reroute.
/// </summary>
/// <param name="Slot">The pickup slot or delivery window chosen; null for as soon as possible.</param>
/// <param name="ReadyBy">Pickup: the goods wait at the counter; delivery: the goods wait for the rider.</param>
/// <param name="DeliveredBy">Delivery only: the goods reach the door.</param>
/// <param name="PreparationMinutes">How long the store takes to prepare it, as promised: for as soon as possible, its orders in hand included.</param>
/// <param name="RideMinutes">Delivery only: the ride promised with.</param>
public sealed record OrderPromise(Slot? Slot, DateTimeOffset ReadyBy, DateTimeOffset? DeliveredBy, int PreparationMinutes, int? RideMinutes)
{
    /// <summary>A store that does not say how long it takes is promised with this.</summary>
    public const int DefaultPreparationMinutes = 15;

    /// <summary>What each order a store has in hand adds to the wait of one for as soon as possible.</summary>
    public const int MinutesPerOrderAhead = 2;

    /// <summary>The store's preparation time with its queue: each order in hand adds <see cref="MinutesPerOrderAhead"/>, at most a working day.</summary>
    public static int PreparationWithQueue(int preparationMinutes, int ordersAhead) =>
        Math.Min(preparationMinutes + ordersAhead * MinutesPerOrderAhead, 12 * 60);

    /// <summary>
    /// The ride a same-city courier is promised with: collecting (15 min) and 4 minutes a kilometre,
    /// at least 20; a courier's own quote of the time is finer (issue 26's quotes).
    /// </summary>
    public static int RideMinutesFor(double distanceM) => Math.Max(20, 15 + (int)Math.Ceiling(distanceM / 1000 * 4));

    /// <summary>The promise of an order placed at <paramref name="now"/>; <paramref name="rideMinutes"/> is given for a delivery only.</summary>
    public static OrderPromise Make(Slot? slot, DateTimeOffset now, int preparationMinutes, int? rideMinutes)
    {
        var soonestReady = now.AddMinutes(preparationMinutes);
        if (slot is not { } chosen) return new(null, soonestReady, rideMinutes is { } minutes ? soonestReady.AddMinutes(minutes) : null,
            preparationMinutes, rideMinutes);
        if (rideMinutes is not { } ride) return new(chosen, chosen.Start > soonestReady ? chosen.Start : soonestReady, null, preparationMinutes, null);
        var readyForRider = chosen.Start.AddMinutes(-ride);
        return new(chosen, readyForRider > soonestReady ? readyForRider : soonestReady, chosen.End, preparationMinutes, ride);
    }

    /// <summary>As soon as possible counts from when the store gets the order: its payment. A slot's promise stands.</summary>
    public OrderPromise PaidAt(DateTimeOffset paidAt) => Slot is null ? Make(null, paidAt, PreparationMinutes, RideMinutes) : this;

    /// <summary>How long before the goods are ready a courier platform is asked for a rider: time to find one and ride to the store.</summary>
    public static readonly TimeSpan CourierLead = TimeSpan.FromMinutes(30);

    /// <summary>When a delivery for a window is handed to a courier platform; null for as soon as possible (at once).</summary>
    public DateTimeOffset? BookCourierAt() => Slot is not null && RideMinutes is not null ? ReadyBy - CourierLead : null;

    /// <summary>When the store should start on the order: its ready-by less its preparation (a method, so the event's data does not carry it).</summary>
    public DateTimeOffset StartBy() => ReadyBy.AddMinutes(-PreparationMinutes);
}
