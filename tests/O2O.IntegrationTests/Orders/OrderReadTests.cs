namespace O2O.IntegrationTests.Orders;

public sealed class OrderReadTests
{
    [Fact]
    public async Task An_order_is_visible_to_its_owner_and_the_operator_and_is_not_found_for_anyone_else()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var owner = await world.App.NewConsumerAsync();
        using var stranger = await world.App.NewConsumerAsync();
        var orderId = await owner.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));

        var mine = await (await owner.GetAsync($"orders/{orderId}")).ReadOkAsync();
        var operatorView = await (await world.App.Admin.GetAsync($"admin/orders/{orderId}")).ReadOkAsync();
        var strangers = await (await stranger.GetAsync($"orders/{orderId}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var neverPlaced = orderId![..^1] + (orderId[^1] == 'x' ? 'y' : 'x'); // the owner's partition, another id
        var missing = await (await owner.GetAsync($"orders/{neverPlaced}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Equal(orderId, mine.GetProperty("orderId").GetString());
        Assert.Equal("PendingPayment", mine.GetProperty("timeline")[0].GetProperty("status").GetString());
        Assert.Equal(orderId, operatorView.GetProperty("orderId").GetString());
        Assert.Equal(strangers.GetProperty("title").GetString(), missing.GetProperty("title").GetString());
        await (await world.App.Http.GetAsync($"admin/orders/{orderId}")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task My_orders_are_listed_newest_first_in_pages()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        using var other = await world.App.NewConsumerAsync();
        var placed = new List<string>();
        for (var i = 0; i < 3; i++)
            placed.Add(await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1))));
        await (await other.PlaceAsync(Checkout.PickupAt(store, (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);

        var first = await (await consumer.GetAsync("orders?pageSize=2")).ReadOkAsync();
        var token = first.GetProperty("continuationToken").GetString();
        var second = await (await consumer.GetAsync($"orders?pageSize=2&continuationToken={Uri.EscapeDataString(token!)}")).ReadOkAsync();

        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(o => o.GetProperty("orderId").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(placed), listed);
        Assert.False(second.TryGetProperty("continuationToken", out _));
        Assert.Equal("PendingPayment", first.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("orders?pageSize=0", "pageSize")]
    [InlineData("orders?pageSize=51", "pageSize")]
    [InlineData("orders?pageSize=ten", "pageSize")]
    public async Task A_bad_page_size_is_a_400(string path, string field)
    {
        var app = await TestApp.Shared;
        using var consumer = await app.NewConsumerAsync();

        await (await consumer.GetAsync(path)).ReadValidationProblemAsync(field);
    }
}
