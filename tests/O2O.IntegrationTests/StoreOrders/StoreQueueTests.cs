namespace O2O.IntegrationTests.StoreOrders;

public sealed class StoreQueueTests
{
    [Fact]
    public async Task A_paid_order_reaches_its_stores_queue_within_seconds_and_follows_its_status()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        var otherStore = await world.StoreAsync(3000, stock: [(tea, 10)]);
        using var clerk = await world.ClerkAsync(store);
        using var otherClerk = await world.ClerkAsync(otherStore);
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(world.App, orderId);

        var paid = await clerk.EventuallyListedAsync($"stores/{store}/orders?status=Paid", orderId);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await clerk.EventuallyListedAsync($"stores/{store}/orders?status=Accepted", orderId);

        Assert.Equal(orderId, paid.GetProperty("orderId").GetString());
        Assert.DoesNotContain((await (await clerk.GetAsync($"stores/{store}/orders?status=Paid")).ReadOkAsync()).GetProperty("items").EnumerateArray(),
            o => o.GetProperty("orderId").GetString() == orderId);
        Assert.Empty((await (await otherClerk.GetAsync($"stores/{otherStore}/orders")).ReadOkAsync()).GetProperty("items").EnumerateArray());
        await (await otherClerk.GetAsync($"stores/{store}/orders")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_unpaid_order_is_not_in_its_stores_queue_and_a_paid_one_projected_again_stays_one_row()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var clerk = await world.ClerkAsync(store);
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        Assert.Empty(await QueueAsync(clerk, store));

        await consumer.PayAsync(world.App, orderId);
        var paid = await clerk.EventuallyListedAsync($"stores/{store}/orders?status=Paid", orderId);
        // A relay run after the request published: the paid order is added without a read, finds its row there, and leaves it.
        await world.App.Host.Services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);

        var row = Assert.Single(await QueueAsync(clerk, store));
        Assert.Equal(("Paid", paid.GetProperty("version").GetInt32()), (row.GetProperty("status").GetString(), row.GetProperty("version").GetInt32()));
    }

    private static async Task<List<System.Text.Json.JsonElement>> QueueAsync(HttpClient clerk, string store) =>
        [.. (await (await clerk.GetAsync($"stores/{store}/orders")).ReadOkAsync()).GetProperty("items").EnumerateArray()];

    [Theory]
    [InlineData("status=Lost", "status")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=x", "pageSize")]
    public async Task A_bad_filter_is_a_400(string query, string field)
    {
        var world = await StoreWorld.CreateAsync();
        var store = await world.StoreAsync(0);
        using var clerk = await world.ClerkAsync(store);

        await (await clerk.GetAsync($"stores/{store}/orders?{query}")).ReadValidationProblemAsync(field);
    }
}
