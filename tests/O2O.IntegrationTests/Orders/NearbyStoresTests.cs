using O2O.IntegrationTests.Infrastructure;

namespace O2O.IntegrationTests.Orders;

public sealed class NearbyStoresTests
{
    [Fact]
    public async Task Nearby_pickup_stores_are_listed_nearest_first_with_whether_they_have_the_cart()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var cake = await world.SkuAsync();
        var far = await world.StoreAsync(3000, stock: [(tea, 5), (cake, 5)]);
        var near = await world.StoreAsync(1000, stock: [(tea, 5)]);
        await world.StoreAsync(500, open: false, stock: [(tea, 5), (cake, 5)]);
        await world.StoreAsync(600, pickup: false, stock: [(tea, 5), (cake, 5)]);
        var (lat, lng) = world.At(0);

        var found = await (await world.App.Http.GetAsync($"stores/nearby?lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}&sku={cake}")).ReadOkAsync();

        var stores = found.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([near, far], stores.Select(s => s.GetProperty("storeId").GetString()));
        Assert.InRange(stores[0].GetProperty("distanceM").GetInt32(), 990, 1010);
        Assert.False(stores[0].GetProperty("inStock").GetBoolean());
        Assert.True(stores[1].GetProperty("inStock").GetBoolean());
    }

    [Theory]
    [InlineData("stores/nearby?lng=121.4", "lat")]
    [InlineData("stores/nearby?lat=91&lng=121.4", "lat")]
    [InlineData("stores/nearby?lat=31.2&lng=abc", "lng")]
    [InlineData("stores/nearby?lat=31.2&lng=121.4&sku=bad%20sku", "sku")]
    public async Task A_bad_position_or_sku_is_a_400(string path, string field)
    {
        var app = await TestApp.Shared;

        await (await app.Http.GetAsync(path)).ReadValidationProblemAsync(field);
    }
}
