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

    public async Task<Result<IReadOnlyList<Store>>> CandidatesAsync(Fulfillment fulfillment,
        IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        var all = await _snapshot.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (fulfillment is not Fulfillment.PickupAt at)
        {
            var reachable = Reachable(all, fulfillment, ReferencePoint(fulfillment, all)!.Value, excluded: [],
                await availability.StoresWithAllAsync(skus, cancellationToken));
            var taking = reachable.Where(s => s.TakesOrders(now, _zone, fulfillment.Mode).Taking).Take(MaxCandidates).ToList();
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
        return new[] { chosen };
    }

    /// <summary>
    /// Where an order goes when its store gives it back: the stores nearest to the consumer (for
    /// pickup at a chosen store, nearest to that store) that serve its mode, take orders now, have
    /// its lines available and are not excluded. None: the order is cancelled and refunded.
    /// </summary>
    public async Task<IReadOnlyList<Store>> AlternativesAsync(
        Fulfillment fulfillment, IReadOnlyCollection<string> skus, IReadOnlyCollection<string> excluded, CancellationToken cancellationToken)
    {
        var all = await _snapshot.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return ReferencePoint(fulfillment, all) is { } point
            ? [.. Reachable(all, fulfillment, point, excluded, await availability.StoresWithAllAsync(skus, cancellationToken))
                .Where(s => s.TakesOrders(now, _zone, fulfillment.Mode).Taking).Take(MaxCandidates)]
            : [];
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
        IReadOnlyList<Store> all, Fulfillment fulfillment, GeoPoint point, IReadOnlyCollection<string> excluded, IReadOnlySet<string> having) =>
        all.Where(s => !excluded.Contains(s.Id) && having.Contains(s.Id))
            .Where(s => fulfillment.Mode == FulfillmentMode.Delivery
                ? s.Delivers(point)
                : s.Pickup && s.Location.DistanceMetersTo(point) <= MaxPickupDistanceM)
            .OrderBy(s => s.Location.DistanceMetersTo(point))
            .ToList();
}
