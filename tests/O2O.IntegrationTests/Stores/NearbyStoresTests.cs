namespace O2O.IntegrationTests.Stores;

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

        var query = $"lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}&sku={cake}";
        var found = await (await world.App.Http.GetAsync($"stores/nearby?{query}")).ReadOkAsync();

        var stores = found.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([near, far], stores.Select(s => s.GetProperty("storeId").GetString()));
        Assert.InRange(stores[0].GetProperty("distanceM").GetInt32(), 990, 1010);
        Assert.False(stores[0].GetProperty("inStock").GetBoolean());
        Assert.True(stores[1].GetProperty("inStock").GetBoolean());
    }

    /// <summary>
    /// Fifty open stores between 100 m and 4.9 km, only the farthest with the SKU: routing finds it
    /// (it once tried only the five nearest and answered no_store_available), for pickup near a
    /// point and for delivery, without reading the other 49 stores' stock.
    /// </summary>
    [Fact]
    public async Task An_order_is_routed_to_the_only_store_with_the_sku_however_many_nearer_stores_lack_it()
    {
        var world = await StoreWorld.CreateAsync();
        var rare = await world.SkuAsync();
        var common = await world.SkuAsync();
        for (var i = 0; i < 49; i++) await world.StoreAsync(100 + i * 100, radiusM: 6000, stock: [(common, 10)]);
        var farthest = await world.StoreAsync(4900, radiusM: 6000, stock: [(rare, 10), (common, 10)]);
        using var consumer = await world.App.NewConsumerAsync();

        var pickup = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (rare, 1)))).ReadOkAsync(System.Net.HttpStatusCode.Created);
        var delivery = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(0, 50),
            (rare, 1), (common, 1)))).ReadOkAsync(System.Net.HttpStatusCode.Created);
        var nowhere = await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (rare, 9)));

        Assert.Equal(farthest, pickup.GetProperty("storeId").GetString());
        Assert.Equal(farthest, delivery.GetProperty("storeId").GetString());
        await nowhere.ReadProblemAsync(System.Net.HttpStatusCode.Conflict, "no_store_available"); // 8 left there: tried, refused, nothing else to try
        Assert.Equal((10, 2, 8), await world.StockAsync(farthest, rare));
    }

    [Fact]
    public async Task A_store_whose_last_unit_is_reserved_drops_out_of_routing_and_the_picker_and_comes_back_when_it_is_released()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var near = await world.StoreAsync(200, stock: [(tea, 1)]);
        var far = await world.StoreAsync(900, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var (lat, lng) = world.At(0);
        async Task<bool> PickerSaysInStock(string store) =>
            (await (await world.App.Http.GetAsync($"stores/nearby?lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}")).ReadOkAsync())
            .GetProperty("items").EnumerateArray().Single(s => s.GetProperty("storeId").GetString() == store).GetProperty("inStock").GetBoolean();

        var first = await consumer.PlaceOrderAsync(Checkout.PickupNear(world.At(0), (tea, 1)));
        var nearAfterLastUnit = await PickerSaysInStock(near);
        var second = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)))).ReadOkAsync(System.Net.HttpStatusCode.Created);
        await (await consumer.PostAsync($"orders/{first}/cancel", null)).ReadOkAsync();
        var nearAfterRelease = await PickerSaysInStock(near);

        Assert.False(nearAfterLastUnit);
        Assert.Equal(far, second.GetProperty("storeId").GetString());
        Assert.True(nearAfterRelease);
        Assert.True(await PickerSaysInStock(far));
    }

    [Fact]
    public async Task The_repair_mends_a_projection_a_crash_left_wrong()
    {
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var availability = app.Host.Services.GetRequiredService<O2O.Application.Stores.StockAvailability>();
        // As if the write that took the store back from zero had been lost.
        await app.Tables.GetTableClient(O2O.Application.Storage.StorageNames.AvailabilityTable)
            .UpsertEntityAsync(new Azure.Data.Tables.TableEntity(tea, store) { ["InStock"] = false }, Azure.Data.Tables.TableUpdateMode.Replace);
        var before = await availability.StoresWithAllAsync([tea], CancellationToken.None);

        var repaired = await availability.RepairAsync(store, CancellationToken.None);

        Assert.DoesNotContain(store, before);
        Assert.Equal(1, repaired);
        Assert.Contains(store, await availability.StoresWithAllAsync([tea], CancellationToken.None));
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
