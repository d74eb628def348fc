using System.Globalization;

namespace O2O.IntegrationTests.Infrastructure;

/// <summary>
/// A test's own patch of the map with its own SKUs and stores, created through the operator API.
/// Each world sits on its own grid square far from every other (one degree apart, beyond any
/// delivery radius or pickup distance), so tests running in parallel never route to each other's stores.
/// </summary>
public sealed class StoreWorld(TestApp app)
{
    private static int _nextSquare;

    private readonly (double Lat, double Lng) _center = Square(Interlocked.Increment(ref _nextSquare));

    public TestApp App { get; } = app;

    public static async Task<StoreWorld> CreateAsync() => new(await TestApp.Shared);

    /// <summary>A point <paramref name="eastM"/> metres east and <paramref name="northM"/> north of the world's centre.</summary>
    public (double Lat, double Lng) At(double eastM, double northM = 0) =>
        (_center.Lat + northM / 111_195.0, _center.Lng + eastM / (111_195.0 * Math.Cos(_center.Lat * Math.PI / 180)));

    public async Task<string> SkuAsync(long priceFen = 1800, bool active = true, string name = "Jasmine milk tea")
    {
        var sku = TestApp.UniqueId("SKU");
        await (await App.Admin.PutJsonAsync($"admin/skus/{sku}", new { name, priceFen, active })).ReadOkAsync();
        return sku;
    }

    public async Task<string> StoreAsync(double eastM, bool open = true, bool pickup = true, bool delivery = true, int radiusM = 5000,
        bool autoAccept = false, int pickupHoldHours = 48, string[]? couriers = null, int? preparationMinutes = null,
        bool redeliverReturns = false, object? hours = null, object? slots = null, params (string Sku, int OnHand)[] stock)
    {
        var storeId = TestApp.UniqueId("S");
        var (lat, lng) = At(eastM);
        await (await App.Admin.PutJsonAsync($"admin/stores/{storeId}",
            new
            {
                name = "Store " + storeId, lat, lng, pickup, delivery, deliveryRadiusM = radiusM, open,
                autoAccept, pickupHoldHours, couriers, preparationMinutes, redeliverReturns, hours, slots,
            })).ReadOkAsync();
        foreach (var (sku, onHand) in stock)
            await (await App.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", new { onHand })).ReadOkAsync();
        return storeId;
    }

    /// <summary>One SKU stocked at a store at the world's centre that delivers with <paramref name="couriers"/>.</summary>
    public async Task<(string Sku, string Store)> CourierStoreAsync(string[] couriers, int onHand = 10)
    {
        var sku = await SkuAsync();
        return (sku, await StoreAsync(0, couriers: couriers, stock: [(sku, onHand)]));
    }

    /// <summary>The commonest arrangement: one SKU, stocked at one store at the world's centre.</summary>
    public async Task<(string Sku, string Store)> StockedStoreAsync(int onHand = 10)
    {
        var sku = await SkuAsync();
        return (sku, await StoreAsync(0, stock: [(sku, onHand)]));
    }

    public async Task<(int OnHand, int Reserved, int Available)> StockAsync(string storeId, string sku)
    {
        var row = await (await App.Admin.GetAsync($"admin/stores/{storeId}/stock/{sku}")).ReadOkAsync();
        return (row.GetProperty("onHand").GetInt32(), row.GetProperty("reserved").GetInt32(), row.GetProperty("available").GetInt32());
    }

    /// <summary>The stock follows an order in a step after the order's own write: waits (15 s unless told) until the row reads <paramref name="expected"/>,
    /// and answers what it read last.</summary>
    public async Task<(int OnHand, int Reserved, int Available)> EventuallyStockAsync(string storeId, string sku, (int, int, int) expected, int seconds = 15)
    {
        var stock = await StockAsync(storeId, sku);
        for (var i = 0; i < seconds * 10 && stock != expected; i++)
        {
            await Task.Delay(100);
            stock = await StockAsync(storeId, sku);
        }
        return stock;
    }

    /// <summary>A new key of <paramref name="storeId"/>, as head office hands it to the store.</summary>
    public async Task<string> StoreKeyAsync(string storeId) =>
        (await (await App.Admin.PostAsync($"admin/stores/{storeId}/keys",
            null)).ReadOkAsync(System.Net.HttpStatusCode.Created)).GetProperty("key").GetString()!;

    /// <summary>A client with a new key of <paramref name="storeId"/>, as its staff would have.</summary>
    public async Task<HttpClient> ClerkAsync(string storeId)
    {
        var key = await StoreKeyAsync(storeId);
        var clerk = new HttpClient { BaseAddress = App.Http.BaseAddress };
        clerk.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return clerk;
    }

    public static string Json(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static (double Lat, double Lng) Square(int n) => (-20 - n / 60, -175 + n % 60 * 2.5);
}
