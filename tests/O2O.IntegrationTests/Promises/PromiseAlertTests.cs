using Microsoft.Extensions.Time.Testing;
using O2O.Application.Promises;
using O2O.Application.StoreOrders;

namespace O2O.IntegrationTests.Promises;

/// <summary>The promise watch on a real order: listed by its payment, alerted at its moments, the breach published within the sweep's half minute.</summary>
public sealed class PromiseAlertTests
{
    [Fact]
    public async Task A_pickup_left_unaccepted_is_at_risk_and_one_not_ready_by_its_time_is_breached_and_published_within_a_minute()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var (tea, store, consumer, clerk) = await ShopAsync(app);
        using var buyer = consumer;
        using var counter = clerk;
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(app, orderId);
        var watcher = app.Host.Services.GetRequiredService<PromiseWatcher>();
        var paid = await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync();
        var readyBy = paid.GetProperty("promise").GetProperty("readyBy").GetDateTimeOffset();
        var startBy = paid.GetProperty("promise").GetProperty("startBy").GetDateTimeOffset();

        clock.SetUtcNow(startBy + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var beforeItsTime = await watcher.SweepAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        var notAccepted = await watcher.SweepAsync(CancellationToken.None);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        clock.SetUtcNow(readyBy + TimeSpan.FromSeconds(30)); // the sweep runs every half minute: the worst case
        var breached = await watcher.SweepAsync(CancellationToken.None);
        var afterward = await watcher.SweepAsync(CancellationToken.None);

        Assert.Equal((0, 1, 1, 0), (beforeItsTime, notAccepted, breached, afterward));
        var order = await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync();
        var promise = order.GetProperty("promise");
        Assert.Equal(["not_accepted", "not_ready"], promise.GetProperty("atRisk").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(readyBy + TimeSpan.FromSeconds(30), promise.GetProperty("breachedAt").GetDateTimeOffset());
        var published = PublishedEvents.All(app).Where(e => e.GetProperty("subject").GetString() == $"orders/{orderId}"
            && e.GetProperty("type").GetString() == OrderEventTypes.PromiseBreached).ToList();
        var data = Assert.Single(published).GetProperty("data");
        var delay = data.GetProperty("seenAt").GetDateTimeOffset() - data.GetProperty("promisedAt").GetDateTimeOffset();
        Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(60));

        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync(); // ready a minute after its promise
        var late = await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync();
        Assert.Equal(1, late.GetProperty("promise").GetProperty("minutesLate").GetInt32());
    }

    [Fact]
    public async Task An_order_for_now_is_promised_after_the_orders_the_store_has_in_hand()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var (tea, store, consumer, clerk) = await ShopAsync(app);
        using var buyer = consumer;
        using var counter = clerk;
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var waiting = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
            await consumer.PayAsync(app, waiting);
            await clerk.EventuallyListedAsync($"stores/{store}/orders?status=Paid", waiting);
        }
        clock.Advance(StoreBacklog.FreshFor); // the store's count is taken again

        var placed = await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);

        var promise = placed.GetProperty("promise");
        Assert.Equal(TimeSpan.FromMinutes(10 + 2 * OrderPromise.MinutesPerOrderAhead),
            promise.GetProperty("readyBy").GetDateTimeOffset() - placed.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(placed.GetProperty("createdAt").GetDateTimeOffset(), promise.GetProperty("startBy").GetDateTimeOffset()); // start at once

        // Half a day on, those two are no longer the queue an order for now waits behind (the count reads the newest rows only).
        clock.Advance(StoreBacklog.Lookback + StoreBacklog.FreshFor);
        using var later = await app.NewConsumerAsync();
        var next = await (await later.PlaceAsync(Checkout.PickupAt(store, (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);
        Assert.Equal(TimeSpan.FromMinutes(10),
            next.GetProperty("promise").GetProperty("readyBy").GetDateTimeOffset() - next.GetProperty("createdAt").GetDateTimeOffset());
    }

    /// <summary>
    /// A store that prepares in 10 minutes on <paramref name="app"/> (its own storage and a clock the test moves, HTTP functions only:
    /// the test runs the sweep itself, at the moments it chooses), a signed-in buyer and a clerk.
    /// </summary>
    private static async Task<(string Tea, string Store, HttpClient Consumer, HttpClient Clerk)> ShopAsync(TestApp app)
    {
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, preparationMinutes: 10, stock: [(tea, 5)]);
        return (tea, store, await app.NewConsumerAsync(), await world.ClerkAsync(store));
    }
}
