using Microsoft.Extensions.Options;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// Which stores could fulfil an order, nearest first, from the cached store list and the cached
/// availability projection: routing ranks, in memory, every eligible store that has the cart
/// available (however far down the list it is), and reads stock only for the few candidates it
/// returns, where the reservation decides.
/// </summary>
public sealed class StoreDirectory(StoreTable stores, StockAvailability availability, IOptions<StoreSettings> settings, TimeProvider clock)
{
    private readonly TimeZoneInfo _zone = settings.Value.Zone();

    /// <summary>Pickup is a same-city habit; a store further away than this is no answer.</summary>
    public const int MaxPickupDistanceM = 50_000;

    /// <summary>How many stores a checkout tries before it gives up: each costs a stock read (and each was believed to have the cart).</summary>
    public const int MaxCandidates = 5;

    private readonly CachedSnapshot<IReadOnlyList<Store>> _snapshot = new(
        async ct => (await stores.ListAsync(ct)).Select(s => s.ToStore()).ToList(), clock);

    public void Invalidate() => _snapshot.Invalidate();

    /// <summary>
    /// The stores a checkout tries, nearest first: for now, those that take orders now; for a slot
    /// (<paramref name="slotStart"/>), those that offer it, each with its claim on the slot's room.
    /// </summary>
    public async Task<Result<IReadOnlyList<Candidate>>> CandidatesAsync(Fulfillment fulfillment,
        IReadOnlyCollection<string> skus, DateTimeOffset? slotStart, CancellationToken cancellationToken)
    {
        var all = await _snapshot.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (slotStart is { } start) return await SlotCandidatesAsync(all, fulfillment, skus, start, now, cancellationToken);
        if (fulfillment is not Fulfillment.PickupAt at)
        {
            var reachable = Reachable(all, fulfillment.Mode, ReferencePoint(fulfillment, all)!.Value, excluded: [],
                await availability.StoresWithAllAsync(skus, cancellationToken));
            var taking = reachable.Where(s => s.TakesOrders(now, _zone, fulfillment.Mode).Taking).Take(MaxCandidates)
                .Select(s => new Candidate(s, null)).ToList();
            if (taking.Count > 0 || reachable.Count == 0) return taking;
            // Stores within reach have the cart, but none takes orders now: say so, and from when.
            var opens = reachable.Select(s => s.TakesOrders(now, _zone, fulfillment.Mode).OpensAt).Where(t => t is not null).Min();
            return new Error(ErrorCodes.StoreClosed, "No store within reach takes orders now"
                + (opens is { } opensAt ? $"; the first takes them again from {StoreHoursNow.Stamp(opensAt)}." : "."));
        }
        var chosen = all.FirstOrDefault(s => s.Id == at.StoreId);
        if (chosen is null) return Error.Validation("fulfillment.storeId", $"there is no store '{at.StoreId}'");
        if (!chosen.Pickup) return new Error(ErrorCodes.NoStoreAvailable, $"Store '{at.StoreId}' does not offer pickup.");
        var hours = chosen.TakesOrders(now, _zone, FulfillmentMode.Pickup);
        if (!hours.Taking) return new Error(ErrorCodes.StoreClosed, $"Store '{at.StoreId}' is not taking orders now ({hours.Describe()}).");
        return new[] { new Candidate(chosen, null) };
    }

    /// <summary>A store a checkout tries, with its claim on the slot's room when the order is for a slot.</summary>
    public sealed record Candidate(Store Store, SlotClaim? Slot);

    private async Task<Result<IReadOnlyList<Candidate>>> SlotCandidatesAsync(IReadOnlyList<Store> all, Fulfillment fulfillment,
        IReadOnlyCollection<string> skus, DateTimeOffset start, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reachable = fulfillment is Fulfillment.PickupAt at
            ? all.Where(s => s.Id == at.StoreId).ToList()
            : Reachable(all, fulfillment.Mode, ReferencePoint(fulfillment, all)!.Value, excluded: [],
                await availability.StoresWithAllAsync(skus, cancellationToken));
        if (fulfillment is Fulfillment.PickupAt chosen && reachable.Count == 0)
            return Error.Validation("fulfillment.storeId", $"there is no store '{chosen.StoreId}'");
        var offering = reachable.Select(s => ClaimOn(s, fulfillment.Mode, start, now) is { } claim ? new Candidate(s, claim) : null)
            .OfType<Candidate>().Take(MaxCandidates).ToList();
        if (offering.Count > 0 || reachable.Count == 0) return offering;
        var mode = fulfillment.Mode.ToString().ToLowerInvariant();
        return new Error(ErrorCodes.SlotUnavailable, (fulfillment is Fulfillment.PickupAt ? "The store does" : "No store within reach does")
            + $" not offer a {mode} slot starting at {StoreHoursNow.Stamp(TimeZoneInfo.ConvertTime(start, _zone))}; GET /api/slots lists the slots offered.");
    }

    /// <summary>
    /// The store whose slots a buyer chooses from: the one named, or the nearest that serves the
    /// mode at <paramref name="point"/>, has the SKUs available and offers slots for the mode.
    /// </summary>
    public async Task<Store?> SlotStoreAsync(FulfillmentMode mode, string? storeId, GeoPoint? point, IReadOnlyCollection<string> skus,
        CancellationToken cancellationToken)
    {
        var all = await _snapshot.GetAsync(cancellationToken);
        if (storeId is not null) return all.FirstOrDefault(s => s.Id == storeId && (mode == FulfillmentMode.Delivery ? s.Delivery : s.Pickup));
        var having = skus.Count == 0 ? all.Select(s => s.Id).ToHashSet() : await availability.StoresWithAllAsync(skus, cancellationToken);
        return Reachable(all, mode, point!.Value, excluded: [], having).FirstOrDefault(s => s.Slots?.For(mode) is not null);
    }

    /// <summary>The slots the store offers now, in the brand's zone.</summary>
    public IReadOnlyList<Slot> OfferedSlots(Store store, FulfillmentMode mode) => store.OfferedSlots(clock.GetUtcNow(), _zone, mode);

    /// <summary>The store's claim on the slot starting at <paramref name="start"/>, if it offers one now.</summary>
    private SlotClaim? ClaimOn(Store store, FulfillmentMode mode, DateTimeOffset start, DateTimeOffset now, bool rerouting = false) =>
        store.OfferedSlots(now, _zone, mode, rerouting).Where(s => s.Start == start)
            .Select(s => new SlotClaim(s.Key(mode), s, store.Slots!.For(mode)!.Capacity)).FirstOrDefault();

    /// <summary>
    /// Where an order goes when its store gives it back: the stores nearest to the consumer (for
    /// pickup at a chosen store, nearest to that store) that serve its mode, take orders now (or,
    /// for an order for a slot, offer the same slot), have its lines available and are not
    /// excluded. None: the order is cancelled and refunded.
    /// </summary>
    public async Task<IReadOnlyList<Candidate>> AlternativesAsync(Fulfillment fulfillment, IReadOnlyCollection<string> skus,
        IReadOnlyCollection<string> excluded, Slot? slot, CancellationToken cancellationToken)
    {
        var all = await _snapshot.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (ReferencePoint(fulfillment, all) is not { } point) return [];
        var reachable = Reachable(all, fulfillment.Mode, point, excluded, await availability.StoresWithAllAsync(skus, cancellationToken));
        return slot is { } kept
            ? [.. reachable.Select(s => ClaimOn(s, fulfillment.Mode, kept.Start, now, rerouting: true) is { } claim ? new Candidate(s, claim) : null)
                .OfType<Candidate>().Take(MaxCandidates)]
            : [.. reachable.Where(s => s.TakesOrders(now, _zone, fulfillment.Mode).Taking).Take(MaxCandidates).Select(s => new Candidate(s, null))];
    }

    /// <summary>The store's name and, per mode it offers, whether it takes orders now: the clerk's header.</summary>
    public async Task<StoreProfileView?> ProfileAsync(string storeId, CancellationToken cancellationToken)
    {
        if (await FindAsync(storeId, cancellationToken) is not { } store) return null;
        var now = clock.GetUtcNow();
        var modes = new[] { (store.Pickup, FulfillmentMode.Pickup), (store.Delivery, FulfillmentMode.Delivery) }
            .Where(m => m.Item1)
            .Select(m => (Mode: m.Item2, Hours: store.TakesOrders(now, _zone, m.Item2)))
            .Select(m => new ModeHoursView(m.Mode.ToString().ToLowerInvariant(), m.Hours.Taking, m.Hours.ClosedReason, m.Hours.OrderBefore,
                m.Hours.OpensAt, m.Hours.Note));
        return new StoreProfileView(store.Id, store.Name, [.. modes]);
    }

    public async Task<Store?> FindAsync(string storeId, CancellationToken cancellationToken) =>
        (await _snapshot.GetAsync(cancellationToken)).FirstOrDefault(s => s.Id == storeId);

    /// <summary>How long the store holds a ready pickup for its consumer.</summary>
    public async Task<TimeSpan> PickupHoldTimeAsync(string storeId, CancellationToken cancellationToken) =>
        TimeSpan.FromHours((await _snapshot.GetAsync(cancellationToken)).FirstOrDefault(s => s.Id == storeId)?.PickupHoldHours ?? Store.DefaultPickupHoldHours);

    /// <summary>The stores that send a returned delivery out once more before refunding it.</summary>
    public async Task<IReadOnlySet<string>> RedeliversReturnsAsync(CancellationToken cancellationToken) =>
        (await _snapshot.GetAsync(cancellationToken)).Where(s => s.RedeliverReturns).Select(s => s.Id).ToHashSet();

    /// <summary>The stores that take paid orders on without a clerk.</summary>
    public async Task<AutoAcceptance> AutoAcceptanceAsync(CancellationToken cancellationToken) =>
        new((await _snapshot.GetAsync(cancellationToken)).Where(s => s.AutoAccept).ToDictionary(s => s.Id));

    /// <summary>Pickup stores near a point that take orders now, nearest first, for the consumer's store picker.</summary>
    public async Task<IReadOnlyList<(Store Store, double DistanceM, StoreHoursNow Hours)>> NearbyPickupStoresAsync(GeoPoint position,
        int count, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return (await _snapshot.GetAsync(cancellationToken))
            .Where(s => s.Pickup)
            .Select(s => (Store: s, DistanceM: s.Location.DistanceMetersTo(position), Hours: s.TakesOrders(now, _zone, FulfillmentMode.Pickup)))
            .Where(s => s.DistanceM <= MaxPickupDistanceM && s.Hours.Taking)
            .OrderBy(s => s.DistanceM)
            .Take(count)
            .ToList();
    }

    private static GeoPoint? ReferencePoint(Fulfillment fulfillment, IReadOnlyList<Store> all) => fulfillment switch
    {
        Fulfillment.PickupAt at => all.FirstOrDefault(s => s.Id == at.StoreId)?.Location,
        Fulfillment.PickupNear near => near.Position,
        Fulfillment.Delivery delivery => delivery.Address.Location,
        _ => throw new ArgumentOutOfRangeException(nameof(fulfillment)),
    };

    /// <summary>The stores that serve the mode at that place and have the lines available, nearest first, whether or not they take orders now.</summary>
    private static List<Store> Reachable(
        IReadOnlyList<Store> all, FulfillmentMode mode, GeoPoint point, IReadOnlyCollection<string> excluded, IReadOnlySet<string> having) =>
        all.Where(s => !excluded.Contains(s.Id) && having.Contains(s.Id))
            .Where(s => mode == FulfillmentMode.Delivery
                ? s.Delivers(point)
                : s.Pickup && s.Location.DistanceMetersTo(point) <= MaxPickupDistanceM)
            .OrderBy(s => s.Location.DistanceMetersTo(point))
            .ToList();
}
