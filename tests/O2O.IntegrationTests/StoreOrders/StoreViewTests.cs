using Microsoft.Extensions.Time.Testing;
using O2O.Application.Pickup;

namespace O2O.IntegrationTests.StoreOrders;

/// <summary>What a store's staff may see of an order: in full in their own queue, nothing of another store's, never the code.</summary>
public sealed class StoreViewTests
{
    [Fact]
    public async Task A_store_sees_its_order_in_full_with_the_buyers_phone_masked_in_every_answer_and_another_store_sees_nothing()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        var other = await world.StoreAsync(300);
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        using var otherClerk = await world.ClerkAsync(other);
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(500), (tea, 2)));
        await consumer.PayAsync(world.App, orderId);

        var seen = await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync();
        var listed = await clerk.EventuallyListedAsync($"stores/{store}/orders?status=Paid", orderId);

        var accepted = await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();

        Assert.Equal("138****8000", seen.GetProperty("delivery").GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal("138****8000",
            accepted.GetProperty("delivery").GetProperty("contact").GetProperty("phone").GetString()); // every store answer, not only the read
        Assert.Equal(2, seen.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.True(listed.GetProperty("version").GetInt32() >= 2); // placed, paid
        await (await otherClerk.GetAsync($"stores/{other}/orders/{orderId}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await otherClerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_preview_shows_the_order_without_handing_it_over_and_never_the_code()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (orderId, code) = await consumer.ReadyPickupAsync(world.App, clerk, store, tea, quantity: 2);

        var preview = await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code })).ReadOkAsync();

        Assert.Equal(orderId, preview.GetProperty("orderId").GetString());
        Assert.False(preview.GetProperty("pickup").TryGetProperty("code", out _));
        Assert.Equal("ReadyForPickup", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
        Assert.Equal((10, 2, 8), await world.StockAsync(store, tea));
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code })).ReadProblemAsync(HttpStatusCode.NotFound, "pickup_code_used");
    }

    [Fact]
    public async Task Wrong_codes_in_previews_count_toward_the_lockout_and_another_stores_qr_code_does_not()
    {
        await using var app = await TestApp.StartWithClockAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        var wrong = code == "000000" ? "000001" : "000000";

        for (var i = 0; i < 3; i++)
            await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify",
                new { code = $"o2o-pickup:S-ELSEWHERE:{code}" })).ReadProblemAsync(HttpStatusCode.NotFound, "wrong_store");
        var triesLeft = new List<int>();
        for (var i = 0; i < PickupService.MaxFailures; i++)
            triesLeft.Add((await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code = wrong }))
                .ReadProblemAsync(HttpStatusCode.NotFound, "not_found")).GetProperty("triesLeft").GetInt32());

        Assert.Equal([4, 3, 2, 1, 0], triesLeft); // the other store's codes took none of them

        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code })).ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("ReadyForPickup", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }
}
