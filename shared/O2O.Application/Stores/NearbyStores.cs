using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <param name="OrderBefore">The last moment the store takes a pickup order today (its hours less the cut-off); null for a store without hours.</param>
public sealed record NearbyStoreView(string StoreId, string Name, int DistanceM, bool InStock, DateTimeOffset? OrderBefore);

/// <summary>
/// The mini-program's store picker: pickup stores near the consumer that take orders now, and whether each has
/// the cart available, from the same availability projection routing uses (no stock reads).
/// </summary>
public sealed class NearbyStores(StoreDirectory directory, StockAvailability availability)
{
    public const int MaxStores = 10;

    public async Task<Result<IReadOnlyList<NearbyStoreView>>> FindAsync(double? lat,
        double? lng, IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().Range("lat", lat, -90, 90).Range("lng", lng, -180, 180);
        if (skus.Count > Cart.MaxLines) errors.Add("sku", $"at most {Cart.MaxLines} SKUs");
        foreach (var sku in skus) errors.Check("sku", sku);
        if (!errors.IsEmpty) return errors.ToError();

        var nearest = await directory.NearbyPickupStoresAsync(new GeoPoint(lat!.Value, lng!.Value), MaxStores, cancellationToken);
        var having = skus.Count == 0 ? null : await availability.StoresWithAllAsync(skus, cancellationToken);
        return nearest.Select(s => new NearbyStoreView(s.Store.Id, s.Store.Name, (int)Math.Round(s.DistanceM), having?.Contains(s.Store.Id) ?? true,
            s.Hours.OrderBefore)).ToList();
    }
}
