namespace O2O.IntegrationTests.Orders;

public sealed class DeliveryFeeTests
{
    [Fact]
    public async Task A_delivery_order_is_charged_the_stores_tariff_for_its_distance_and_pays_the_total()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync(priceFen: 1800);
        var store = await TariffStoreAsync(world, tea, freeAboveFen: 5000);
        using var consumer = await world.App.NewConsumerAsync();

        var charged = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(2500), (tea, 2)))).ReadOkAsync(HttpStatusCode.Created);
        var free = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(2500), (tea, 3)))).ReadOkAsync(HttpStatusCode.Created);
        var pickup = await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 2)))).ReadOkAsync(HttpStatusCode.Created);

        Assert.Equal((600L + 2 * 200, 3600L + 1000), (charged.GetProperty("deliveryFeeFen").GetInt64(), charged.GetProperty("totalFen").GetInt64()));
        Assert.Equal((0L, 5400L), (free.GetProperty("deliveryFeeFen").GetInt64(), free.GetProperty("totalFen").GetInt64()));
        Assert.Equal(0L, pickup.GetProperty("deliveryFeeFen").GetInt64());
        var orderId = charged.GetProperty("orderId").GetString()!;
        await consumer.PayAsync(world.App, orderId);
        var trade = world.App.Host.Services.GetRequiredService<WeChatPaySandbox>().Transaction(orderId)!;
        Assert.Equal(4600, trade["amount"]!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_bad_tariff_or_courier_list_is_a_400_and_writes_nothing()
    {
        var app = await TestApp.Shared;
        var storeId = TestApp.UniqueId("S");
        object Store(long baseFen = 500, string[]? couriers = null) => new
        {
            name = "x", lat = 31, lng = 121, pickup = true, delivery = true, deliveryRadiusM = 5000, open = true,
            deliveryBaseFeeFen = baseFen, couriers = couriers ?? ["dada"],
        };

        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", Store(baseFen: -1))).ReadValidationProblemAsync("deliveryBaseFeeFen");
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", Store(couriers: ["dada", "dada"]))).ReadValidationProblemAsync("couriers");
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", Store(couriers: ["ele"]))).ReadValidationProblemAsync("couriers");
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", Store(couriers: []))).ReadValidationProblemAsync("couriers");
        await (await app.Admin.GetAsync($"admin/stores/{storeId}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    private static async Task<string> TariffStoreAsync(StoreWorld world, string sku, long freeAboveFen)
    {
        var storeId = TestApp.UniqueId("S");
        var (lat, lng) = world.At(0);
        var body = new
        {
            name = "Tariff store", lat, lng, pickup = true, delivery = true, deliveryRadiusM = 5000, open = true,
            deliveryBaseFeeFen = 600, deliveryFeePerKmFen = 200, freeDeliveryAboveFen = freeAboveFen, couriers = new[] { "sf", "dada" },
        };
        var view = await (await world.App.Admin.PutJsonAsync($"admin/stores/{storeId}", body)).ReadOkAsync();
        Assert.Equal(["sf", "dada"], view.GetProperty("couriers").EnumerateArray().Select(c => c.GetString()));
        await (await world.App.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", new { onHand = 20 })).ReadOkAsync();
        return storeId;
    }
}
