using O2O.Application.Catalog;
using O2O.Application.Stores;
using O2O.Domain.Stores;

namespace O2O.LocalHost;

/// <summary>A small tea brand in Shanghai: a few SKUs and three stores with stock, written through the app's own services.</summary>
public static class DemoData
{
    /// <summary>Seeds the data and answers a fresh key of the first store, for signing in to the console.</summary>
    public static async Task<IssuedStoreKey> SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<CatalogService>();
        var stores = services.GetRequiredService<StoreService>();
        var stock = services.GetRequiredService<StockService>();

        (string Sku, string Name, long PriceFen)[] skus =
        [
            ("TEA-001", "Jasmine milk tea", 1800),
            ("TEA-002", "Oolong cheese foam", 2200),
            ("CAKE-001", "Mango mille-feuille", 3800),
            ("CAKE-002", "Matcha roll", 2600),
        ];
        foreach (var (sku, name, price) in skus)
            Check(await catalog.PutAsync(sku, new SkuRequest(name, price, true), cancellationToken));

        (string Id, string Name, double Lat, double Lng, int Radius)[] shops =
        [
            ("S-001", "People's Square", 31.2304, 121.4737, 5000),
            ("S-002", "Jing'an Temple", 31.2235, 121.4456, 4000),
            ("S-003", "Lujiazui", 31.2397, 121.4998, 6000),
        ];
        foreach (var (id, name, lat, lng, radius) in shops)
        {
            // Half-hour pickup slots and one-hour delivery windows, today and tomorrow, for orders placed for later.
            var slots = new SlotsInput(new SlotPolicyInput(30, 30, 1, 10), new SlotPolicyInput(60, 60, 1, 10));
            Check(await stores.PutAsync(id, new StoreInput(name, lat, lng, true, true, radius, true, Slots: slots), cancellationToken));
            foreach (var (sku, _, _) in skus)
                Check(await stock.SetOnHandAsync(id, sku,
                    new StockRequest(id == "S-002" && sku.StartsWith("CAKE", StringComparison.Ordinal) ? 0 : 20), cancellationToken));
        }
        var key = await services.GetRequiredService<StoreKeys>().IssueAsync(shops[0].Id, cancellationToken);
        Check(key);
        return key.Value!;
    }

    private static void Check<T>(O2O.Domain.Common.Result<T> result)
    {
        if (!result.IsSuccess) throw new InvalidOperationException($"Demo data was refused: {result.Error.Detail}");
    }
}
