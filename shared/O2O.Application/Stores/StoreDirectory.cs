using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// Which stores could fulfil an order, nearest first, from the cached store list: routing ranks
/// stores in memory and reads stock only for the few candidates it returns.
/// </summary>
public sealed class StoreDirectory(StoreTable stores, TimeProvider clock)
{
    /// <summary>Pickup is a same-city habit; a store further away than this is no answer.</summary>
    public const int MaxPickupDistanceM = 50_000;

    /// <summary>How many stores a checkout tries before it gives up: each costs a stock read.</summary>
    public const int MaxCandidates = 5;

    private readonly CachedSnapshot<IReadOnlyList<Store>> _snapshot = new(
        async ct => (await stores.ListAsync(ct)).Select(s => s.ToStore()).ToList(), clock);

    public void Invalidate() => _snapshot.Invalidate();

    public async Task<Result<IReadOnlyList<Store>>> CandidatesAsync(Fulfillment fulfillment, CancellationToken cancellationToken)
    {
        var all = await _snapshot.GetAsync(cancellationToken);
        switch (fulfillment)
        {
            case Fulfillment.PickupAt at:
                var chosen = all.FirstOrDefault(s => s.Id == at.StoreId);
                if (chosen is null) return Error.Validation("fulfillment.storeId", $"there is no store '{at.StoreId}'");
                if (!chosen.Open || !chosen.Pickup)
                    return new Error(ErrorCodes.NoStoreAvailable, $"Store '{at.StoreId}' is closed or does not offer pickup.");
                return new[] { chosen };
            case Fulfillment.PickupNear near:
                return Nearest(all.Where(s => s.Open && s.Pickup && s.Location.DistanceMetersTo(near.Position) <= MaxPickupDistanceM), near.Position);
            case Fulfillment.Delivery delivery:
                return Nearest(all.Where(s => s.Delivers(delivery.Address.Location)), delivery.Address.Location);
            default:
                throw new ArgumentOutOfRangeException(nameof(fulfillment));
        }
    }

    /// <summary>Open pickup stores near a point, nearest first, for the consumer's store picker.</summary>
    public async Task<IReadOnlyList<(Store Store, double DistanceM)>> NearbyPickupStoresAsync(GeoPoint position, int count, CancellationToken cancellationToken) =>
        (await _snapshot.GetAsync(cancellationToken))
            .Where(s => s.Open && s.Pickup)
            .Select(s => (Store: s, DistanceM: s.Location.DistanceMetersTo(position)))
            .Where(s => s.DistanceM <= MaxPickupDistanceM)
            .OrderBy(s => s.DistanceM)
            .Take(count)
            .ToList();

    private static Result<IReadOnlyList<Store>> Nearest(IEnumerable<Store> candidates, GeoPoint point) =>
        candidates.OrderBy(s => s.Location.DistanceMetersTo(point)).Take(MaxCandidates).ToList();
}
