using Azure.Data.Tables;

namespace O2O.IntegrationTests.Stores;

/// <summary>The store's own stock routes: its clerks correct counts (with a reason, once per key) and mark SKUs sold out.</summary>
public sealed class StoreStockTests
{
    [Fact]
    public async Task An_adjustment_repeated_with_its_key_changes_the_count_once_and_is_journalled()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync(onHand: 10);
        using var clerk = await world.ClerkAsync(store);

        // A double tap and four retries of one adjustment, all at once.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => AdjustAsync(clerk, store, sku, "key-1", new { delta = -2, reason = "两杯破损" })));
        var reused = await AdjustAsync(clerk, store, sku, "key-1", new { delta = -3, reason = "两杯破损" });
        var second = await (await AdjustAsync(clerk, store, sku, "key-2", new { delta = 5, reason = "到货" })).ReadOkAsync();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(13, second.GetProperty("onHand").GetInt32());
        Assert.Equal("Jasmine milk tea", second.GetProperty("name").GetString());
        Assert.Equal((13, 0, 13), await world.StockAsync(store, sku));
        var journal = world.App.Tables.GetTableClient("Stock").Query<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {store} and RowKey ge {"adj|"} and RowKey lt {"adj}"}")).ToList();
        Assert.Equal([-2, 5], journal.Select(r => r.GetInt32("Delta")!.Value).Order());
        Assert.Contains(journal, r => r.GetString("Reason") == "两杯破损" && r.GetInt32("OnHandAfter") == 8 && r.GetString("By") == $"store:{store}");
    }

    [Theory]
    [InlineData(null, """{"delta":-1,"reason":"x"}""", "Idempotency-Key")]
    [InlineData("a/b", """{"delta":-1,"reason":"x"}""", "Idempotency-Key")]
    [InlineData("k", """{"delta":0,"reason":"x"}""", "delta")]
    [InlineData("k", """{"delta":-11,"reason":"x"}""", "delta")]
    [InlineData("k", """{"delta":-1}""", "reason")]
    [InlineData("k", """{"delta":-1,"reason":"  "}""", "reason")]
    [InlineData("k", """{"delta":"-1","reason":"x"}""", "delta")]
    [InlineData("k", "{\"delta\":-1,\"reason\":\"x", "body")]
    public async Task A_bad_adjustment_is_a_400_and_leaves_the_count_alone(string? key, string body, string field)
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync(onHand: 10);
        using var clerk = await world.ClerkAsync(store);

        await (await AdjustRawAsync(clerk, store, sku, key, body)).ReadValidationProblemAsync(field);

        Assert.Equal((10, 0, 10), await world.StockAsync(store, sku));
    }

    [Fact]
    public async Task Another_stores_key_or_an_unknown_sku_changes_nothing()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync(onHand: 10);
        var other = await world.StoreAsync(300);
        using var otherClerk = await world.ClerkAsync(other);
        using var clerk = await world.ClerkAsync(store);

        await (await AdjustAsync(otherClerk, store, sku, "k", new { delta = -1, reason = "x" })).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await otherClerk.PutJsonAsync($"stores/{store}/stock/{sku}/sold-out", new { soldOut = true })).ReadProblemAsync(HttpStatusCode.Unauthorized,
            "unauthorized");
        await (await otherClerk.GetAsync($"stores/{store}/stock")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await AdjustAsync(clerk, store, "NOPE-1", "k", new { delta = -1, reason = "x" })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await clerk.PutJsonAsync($"stores/{store}/stock/{sku}/sold-out", "{}")).ReadValidationProblemAsync("soldOut");

        Assert.Equal((10, 0, 10), await world.StockAsync(store, sku));
        var listed = await (await clerk.GetAsync($"stores/{store}/stock")).ReadOkAsync();
        var row = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal("Jasmine milk tea", row.GetProperty("name").GetString());
        Assert.False(row.GetProperty("soldOut").GetBoolean());
    }

    [Fact]
    public async Task A_sku_marked_sold_out_is_sold_elsewhere_and_the_store_picker_says_so_until_it_is_back()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var near = await world.StoreAsync(200, stock: [(tea, 10)]);
        var far = await world.StoreAsync(900, stock: [(tea, 10)]);
        using var clerk = await world.ClerkAsync(near);
        using var consumer = await world.App.NewConsumerAsync();
        var (lat, lng) = world.At(0);
        async Task<bool> PickerSaysInStock() =>
            (await (await world.App.Http.GetAsync($"stores/nearby?lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}")).ReadOkAsync())
            .GetProperty("items").EnumerateArray().Single(s => s.GetProperty("storeId").GetString() == near).GetProperty("inStock").GetBoolean();

        var marked = await (await clerk.PutJsonAsync($"stores/{near}/stock/{tea}/sold-out", new { soldOut = true })).ReadOkAsync();
        var routed = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);
        var refused = await consumer.PlaceAsync(Checkout.PickupAt(near, (tea, 1)));
        var whileSoldOut = await PickerSaysInStock();
        await (await clerk.PutJsonAsync($"stores/{near}/stock/{tea}/sold-out", new { soldOut = false })).ReadOkAsync();

        Assert.Equal(0, marked.GetProperty("available").GetInt32());
        Assert.Equal(10, marked.GetProperty("onHand").GetInt32());
        Assert.Equal(far, routed.GetProperty("storeId").GetString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.False(whileSoldOut);
        Assert.True(await PickerSaysInStock());
        Assert.Equal((10, 0, 10), await world.StockAsync(near, tea));
    }

    private static Task<HttpResponseMessage> AdjustAsync(HttpClient clerk, string store, string sku, string key, object body) =>
        AdjustRawAsync(clerk, store, sku, key, System.Text.Json.JsonSerializer.Serialize(body));

    private static Task<HttpResponseMessage> AdjustRawAsync(HttpClient clerk, string store, string sku, string? key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"stores/{store}/stock/{sku}/adjustments")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return clerk.SendAsync(request);
    }
}
