using O2O.Application.Stores;

namespace O2O.IntegrationTests.Stores;

public sealed class StockAdminTests
{
    [Fact]
    public async Task Set_on_hand_then_read_it_back_with_reserved_and_available()
    {
        var (app, storeId, sku) = await StoreWithSkuAsync();

        var put = await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", """{"onHand":12}""")).ReadOkAsync();
        Assert.Equal(12, put.GetProperty("onHand").GetInt32());
        Assert.Equal(0, put.GetProperty("reserved").GetInt32());
        Assert.Equal(12, put.GetProperty("available").GetInt32());

        var read = await (await app.Admin.GetAsync($"admin/stores/{storeId}/stock/{sku}")).ReadOkAsync();
        Assert.Equal(12, read.GetProperty("onHand").GetInt32());
        var list = await (await app.Admin.GetAsync($"admin/stores/{storeId}/stock")).ReadOkAsync();
        Assert.Equal(sku, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("sku").GetString());
    }

    [Fact]
    public async Task A_recount_keeps_the_units_reserved_by_open_orders()
    {
        var (app, storeId, sku) = await StoreWithSkuAsync();
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", """{"onHand":10}""")).ReadOkAsync();
        await ReserveAsync(app, storeId, sku, 3);

        var put = await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", """{"onHand":8}""")).ReadOkAsync();
        Assert.Equal(3, put.GetProperty("reserved").GetInt32());
        Assert.Equal(5, put.GetProperty("available").GetInt32());

        var below = await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", """{"onHand":2}""")).ReadOkAsync();
        Assert.Equal(0, below.GetProperty("available").GetInt32());
        Assert.Equal(1, below.GetProperty("shortfall").GetInt32());
    }

    [Fact]
    public async Task Concurrent_recounts_and_reservations_lose_no_update()
    {
        var (app, storeId, sku) = await StoreWithSkuAsync();
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", """{"onHand":100}""")).ReadOkAsync();

        // Twenty recounts race twenty checkouts' reservations of the same row.
        var recounts = Enumerable.Range(1, 20).Select(async i =>
            await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", $$"""{"onHand":{{100 + i}}}""")).ReadOkAsync());
        var reservations = Enumerable.Range(1, 20).Select(_ => ReserveAsync(app, storeId, sku, 1));
        await Task.WhenAll(recounts.Cast<Task>().Concat(reservations));

        var read = await (await app.Admin.GetAsync($"admin/stores/{storeId}/stock/{sku}")).ReadOkAsync();
        Assert.Equal(20, read.GetProperty("reserved").GetInt32());
        Assert.InRange(read.GetProperty("onHand").GetInt32(), 101, 120);
    }

    [Fact]
    public async Task Stock_of_an_unknown_store_is_a_404_and_of_an_unknown_sku_a_400()
    {
        var (app, storeId, _) = await StoreWithSkuAsync();
        var unknownSku = TestApp.UniqueId("NOPE");

        await (await app.Admin.PutJsonAsync($"admin/stores/{TestApp.UniqueId("NOSTORE")}/stock/TEA-001", """{"onHand":1}"""))
            .ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{unknownSku}", """{"onHand":1}""")).ReadValidationProblemAsync("sku");

        await (await app.Admin.GetAsync($"admin/stores/{storeId}/stock/{unknownSku}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("""{"onHand":-1}""", "onHand")]
    [InlineData("""{"onHand":2000000}""", "onHand")]
    [InlineData("""{"onHand":1.5}""", "onHand")]
    [InlineData("""{"onHand":"5"}""", "onHand")]
    [InlineData("""{}""", "onHand")]
    [InlineData("""{"onHand":5""", "body")]
    public async Task Bad_stock_bodies_are_a_400_and_leave_the_count_alone(string body, string field)
    {
        var (app, storeId, sku) = await StoreWithSkuAsync();
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", """{"onHand":7}""")).ReadOkAsync();

        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}/stock/{sku}", body)).ReadValidationProblemAsync(field);

        Assert.Equal(7, (await (await app.Admin.GetAsync($"admin/stores/{storeId}/stock/{sku}")).ReadOkAsync()).GetProperty("onHand").GetInt32());
    }

    private static async Task<(TestApp App, string StoreId, string Sku)> StoreWithSkuAsync()
    {
        var app = await TestApp.Shared;
        var storeId = TestApp.UniqueId("S");
        var sku = TestApp.UniqueId("SKU");
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", StoreAdminTests.Store())).ReadOkAsync();
        await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", """{"name":"x","priceFen":100,"active":true}""")).ReadOkAsync();
        return (app, storeId, sku);
    }

    private static async Task ReserveAsync(TestApp app, string storeId, string sku, int quantity)
    {
        var (outcome, _) = await app.Host.Services.GetRequiredService<StockReservations>()
            .ReserveAsync(storeId, "order-" + Guid.NewGuid().ToString("N"), "hash",
                [new CartLine(sku, quantity)], TimeSpan.FromMinutes(15), CancellationToken.None);
        Assert.Equal(ReservationOutcome.Reserved, outcome);
    }
}
