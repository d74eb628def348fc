using System.Net;
using System.Net.Http.Json;
using O2O.IntegrationTests.Infrastructure;

namespace O2O.IntegrationTests.Orders;

public sealed class PickupTests
{
    [Fact]
    public async Task Ready_issues_a_code_only_the_consumer_sees_and_verifying_it_hands_the_goods_over_once()
    {
        var shop = await AcceptedOrderAsync();

        var ready = await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var readyAgain = await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var mine = await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync();
        var code = mine.GetProperty("pickup").GetProperty("code").GetString()!;

        Assert.Equal("ReadyForPickup", ready.GetProperty("status").GetString());
        Assert.False(ready.GetProperty("pickup").TryGetProperty("code", out _));
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(ready.GetProperty("timeline").GetArrayLength(), readyAgain.GetProperty("timeline").GetArrayLength());
        Assert.InRange(mine.GetProperty("pickup").GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(47), DateTimeOffset.UtcNow.AddHours(49));

        var picked = await (await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code })).ReadOkAsync();
        Assert.Equal("PickedUp", picked.GetProperty("status").GetString());
        Assert.Equal((8, 0, 8), await shop.World.StockAsync(shop.Store, shop.Sku));
        await (await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal((8, 0, 8), await shop.World.StockAsync(shop.Store, shop.Sku));
    }

    [Fact]
    public async Task Of_two_clerks_verifying_one_code_at_once_exactly_one_succeeds()
    {
        var shop = await AcceptedOrderAsync();
        await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var code = (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var loser = answers.Single(a => a.StatusCode != HttpStatusCode.OK);
        Assert.Contains(loser.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.NotFound }); // 404 when it came after the winner had finished
        Assert.Equal((8, 0, 8), await shop.World.StockAsync(shop.Store, shop.Sku));
    }

    [Fact]
    public async Task Five_wrong_codes_close_the_stores_verification_for_the_window()
    {
        var shop = await AcceptedOrderAsync();
        await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var code = (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString()!;
        var wrong = code == "000000" ? "000001" : "000000";

        for (var i = 0; i < 5; i++)
            await (await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code = i == 4 ? "12ab" : wrong })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var blocked = await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code });

        await blocked.ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("ReadyForPickup", (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_code_of_another_store_is_not_found_there()
    {
        var shop = await AcceptedOrderAsync();
        await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var code = (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();
        var other = await shop.World.StoreAsync(5000);
        using var otherClerk = await shop.World.ClerkAsync(other);

        await (await otherClerk.PostAsJsonAsync($"stores/{other}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await otherClerk.PostAsync($"stores/{other}/orders/{shop.OrderId}/ready", null)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("ReadyForPickup", (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_delivery_order_that_is_ready_goes_to_dispatch()
    {
        var shop = await AcceptedOrderAsync(delivery: true);

        var ready = await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();

        Assert.Equal("Dispatching", ready.GetProperty("status").GetString());
        Assert.False(ready.TryGetProperty("pickup", out _));
    }

    private sealed record Shop(StoreWorld World, string Store, string Sku, HttpClient Consumer, HttpClient Clerk, string OrderId);

    private static async Task<Shop> AcceptedOrderAsync(bool delivery = false)
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        var consumer = await world.App.NewConsumerAsync();
        var body = delivery ? Checkout.Delivery(world.At(100), (tea, 2)) : Checkout.PickupAt(store, (tea, 2));
        var orderId = await consumer.PlaceOrderAsync(body);
        await consumer.PayAsync(world.App, orderId);
        var clerk = await world.ClerkAsync(store);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        return new Shop(world, store, tea, consumer, clerk, orderId);
    }

}
