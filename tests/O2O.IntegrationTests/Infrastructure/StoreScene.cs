namespace O2O.IntegrationTests.Infrastructure;

/// <summary>
/// Where most tests start: a world with one SKU stocked at one store, a newly signed-in consumer,
/// and a clerk of that store. Disposing it signs both out (disposes their clients).
/// </summary>
public sealed class StoreScene : IDisposable
{
    private StoreScene(TestApp app, StoreWorld world, string sku, string store, HttpClient consumer, HttpClient clerk) =>
        (App, World, Sku, Store, Consumer, Clerk) = (app, world, sku, store, consumer, clerk);

    public TestApp App { get; }
    public StoreWorld World { get; }
    public string Sku { get; }
    public string Store { get; }
    public HttpClient Consumer { get; }
    public HttpClient Clerk { get; }

    /// <summary>
    /// On the shared app, or on <paramref name="app"/> (one with its own clock); the consumer as
    /// <paramref name="openId"/> if given; a store that delivers with <paramref name="couriers"/> if given.
    /// </summary>
    public static async Task<StoreScene> StartAsync(TestApp? app = null, int onHand = 10, string? openId = null, string[]? couriers = null)
    {
        app ??= await TestApp.Shared;
        var world = new StoreWorld(app);
        var (sku, store) = couriers is null ? await world.StockedStoreAsync(onHand) : await world.CourierStoreAsync(couriers, onHand);
        return new StoreScene(app, world, sku, store, await app.NewConsumerAsync(openId), await world.ClerkAsync(store));
    }

    public void Deconstruct(out TestApp app, out StoreWorld world, out string sku, out string store, out HttpClient consumer, out HttpClient clerk) =>
        (app, world, sku, store, consumer, clerk) = (App, World, Sku, Store, Consumer, Clerk);

    public void Dispose()
    {
        Consumer.Dispose();
        Clerk.Dispose();
    }
}
