using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace O2O.IntegrationTests.StoreOrders;

/// <summary>Store credentials, and the first thing a store does with them: accept a paid order.</summary>
public sealed class StoreAcceptTests
{
    [Fact]
    public async Task A_store_key_is_shown_once_and_accepts_its_own_paid_order_once()
    {
        var (world, store, consumer, orderId) = await PaidOrderAsync(await StoreWorld.CreateAsync());
        var issued = await (await world.App.Admin.PostAsync($"admin/stores/{store}/keys", null)).ReadOkAsync(HttpStatusCode.Created);
        using var clerk = Clerk(world.App, issued.GetProperty("key").GetString()!);

        var accepted = await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        var again = await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();

        Assert.Equal(43, issued.GetProperty("key").GetString()!.Length);
        Assert.DoesNotContain(issued.GetProperty("key").GetString()!,
            (await (await world.App.Admin.GetAsync($"admin/stores/{store}")).ReadOkAsync()).ToString(), StringComparison.Ordinal);
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());
        Assert.Equal($"store:{store}", accepted.GetProperty("timeline")[2].GetProperty("by").GetString());
        Assert.Equal(3, again.GetProperty("timeline").GetArrayLength());
        await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
    }

    [Fact]
    public async Task A_key_opens_only_its_own_store_and_another_stores_order_is_not_found()
    {
        var world = await StoreWorld.CreateAsync();
        var (_, storeA, _, orderOfA) = await PaidOrderAsync(world);
        var (_, storeB, _, orderOfB) = await PaidOrderAsync(world, eastM: 3000);
        var keyA = (await (await world.App.Admin.PostAsync($"admin/stores/{storeA}/keys",
            null)).ReadOkAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!;
        using var clerkA = Clerk(world.App, keyA);
        using var stranger = Clerk(world.App, "not-a-key");

        await (await clerkA.PostAsync($"stores/{storeB}/orders/{orderOfB}/accept", null)).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await clerkA.PostAsync($"stores/{storeA}/orders/{orderOfB}/accept", null)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await stranger.PostAsync($"stores/{storeA}/orders/{orderOfA}/accept", null)).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await world.App.Http.PostAsync($"stores/{storeA}/orders/{orderOfA}/accept", null)).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await world.App.Admin.PostAsync($"admin/stores/{TestApp.UniqueId("NOSTORE")}/keys", null)).ReadProblemAsync(HttpStatusCode.NotFound,
            "not_found");
    }

    [Fact]
    public async Task An_unpaid_order_cannot_be_accepted()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        var key = (await (await world.App.Admin.PostAsync($"admin/stores/{store}/keys",
            null)).ReadOkAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!;
        using var clerk = Clerk(world.App, key);

        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
    }

    [Fact]
    public async Task After_a_rotation_the_previous_key_works_for_the_grace_period_only()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var store = await world.StoreAsync(0);
        var keys = app.Host.Services.GetRequiredService<O2O.Application.Stores.StoreKeys>();
        var first = (await (await app.Admin.PostAsync($"admin/stores/{store}/keys", null)).ReadOkAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var rotated = await (await app.Admin.PostAsync($"admin/stores/{store}/keys", null)).ReadOkAsync(HttpStatusCode.Created);
        var second = rotated.GetProperty("key").GetString()!;

        Assert.True(await keys.OpensAsync(store, second, CancellationToken.None));
        Assert.True(await keys.OpensAsync(store, first, CancellationToken.None));
        Assert.Equal(clock.GetUtcNow().AddMinutes(60), rotated.GetProperty("previousKeyValidUntil").GetDateTimeOffset());
        clock.Advance(TimeSpan.FromMinutes(60));
        Assert.False(await keys.OpensAsync(store, first, CancellationToken.None));
        Assert.True(await keys.OpensAsync(store, second, CancellationToken.None));
    }

    private static async Task<(StoreWorld World, string Store, HttpClient Consumer, string OrderId)> PaidOrderAsync(StoreWorld world, double eastM = 0)
    {
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(eastM, stock: [(tea, 10)]);
        var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(world.App, orderId);
        return (world, store, consumer, orderId);
    }

    private static HttpClient Clerk(TestApp app, string key)
    {
        var client = new HttpClient { BaseAddress = app.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
