using O2O.Application.Storage;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.Stores;

/// <summary>What anyone may ask about (any SKU code, any store id) is never kept in memory unless it exists.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public async Task Unknown_skus_are_neither_read_nor_cached_and_an_unknown_stores_key_is_read_each_time_while_a_real_one_is_held()
    {
        // A host of its own: another test's SKU written through the shared host empties that host's catalog cache, and this count would see the read.
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        await world.StoreKeyAsync(store);
        var services = world.App.Host.Services;
        var counter = services.GetRequiredService<StorageRequestCounter>();
        var availability = services.GetRequiredService<StockAvailability>();
        var keys = services.GetRequiredService<StoreKeys>();
        var caller = TestApp.UniqueId("cache-test"); // this flow's requests, apart from every other test's and timer's
        long Reads() => counter.ByCaller.Where(c => c.Key.Caller == caller).Sum(c => c.Value);

        using (StorageRequestCounter.Attribute(caller))
        {
            await availability.StoresWithAllAsync([tea], CancellationToken.None); // warms the catalog and the known SKU
            await keys.OpensAsync(store, "not-the-key", CancellationToken.None);
        }
        var warm = Reads();
        using (StorageRequestCounter.Attribute(caller))
        {
            for (var i = 0; i < 50; i++)
                Assert.Empty(await availability.StoresWithAllAsync([TestApp.UniqueId("NO-SUCH-SKU")], CancellationToken.None));
            Assert.Contains(store, await availability.StoresWithAllAsync([tea], CancellationToken.None));
            await keys.OpensAsync(store, "not-the-key", CancellationToken.None);
        }
        var afterKnown = Reads();
        var unknownStore = TestApp.UniqueId("S-NONE");
        using (StorageRequestCounter.Attribute(caller))
        {
            Assert.False(await keys.OpensAsync(unknownStore, "any-key", CancellationToken.None));
            Assert.False(await keys.OpensAsync(unknownStore, "any-key", CancellationToken.None));
        }

        Assert.Equal(warm, afterKnown); // 50 unknown SKUs and the cached store key: not one storage read
        Assert.Equal(afterKnown + 2, Reads()); // an unknown store's key is read each time: nothing was kept of it
    }
}
