using O2O.Application.Storage;

namespace O2O.IntegrationTests.Orders;

/// <summary>Storage requests are the cost and the latency of an order: count them, as the app's own pipeline policy sees them.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public async Task Placing_an_order_costs_four_storage_round_trips_of_six_requests_and_a_replay_four()
    {
        // A host with HTTP functions only: no queue polling or timers add requests of their own.
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)))).ReadOkAsync(HttpStatusCode.Created); // warms the caches
        var counter = app.Host.Services.GetRequiredService<StorageRequestCounter>();
        var key = Guid.NewGuid().ToString();

        var before = counter.Requests;
        var byOperation = counter.ByOperation;
        await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), key)).ReadOkAsync(HttpStatusCode.Created);
        var intake = counter.Requests - before;
        var intakeByOperation = counter.ByOperation.Where(p => p.Value != byOperation.GetValueOrDefault(p.Key))
            .ToDictionary(p => p.Key, p => p.Value - byOperation.GetValueOrDefault(p.Key));
        before = counter.Requests;
        await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), key)).ReadOkAsync(HttpStatusCode.Created);
        var replay = counter.Requests - before;

        // Four round trips: stock read (with the consumer's unpaid orders and agent binding read alongside),
        // reservation transaction, order transaction, and marking its event published once the request itself published it.
        Assert.Equal(6, intake);
        Assert.Equal(new Dictionary<string, long> { ["table.read"] = 3, ["table.batch"] = 3 }, intakeByOperation);
        Assert.Equal(4, replay); // stock read (finds the reservation) with the unpaid count and the binding alongside, order read
    }

    [Fact]
    public async Task A_clerk_s_ready_and_verify_read_what_they_need_once()
    {
        // A host with HTTP functions only: each request's reads are counted under its function's name.
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes);
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        await consumer.ReadyPickupAsync(app, clerk, store, tea); // warms the caches (the store's key among them)
        var counter = app.Host.Services.GetRequiredService<StorageRequestCounter>();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(app, orderId);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        var before = counter.ByCaller;

        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        var code = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();

        long Reads(string function) =>
            counter.ByCaller.GetValueOrDefault((function, "table.read")) - before.GetValueOrDefault((function, "table.read"));
        // Ready: the order, then its store-queue row before projecting (the key is held; the change reuses the order it read).
        Assert.Equal(2, Reads("MarkOrderReady"));
        // Verify: the wrong-code count, the code, the order, the stock with the reservation, the store-queue row; the
        // consuming transaction reuses the count and the code, and the order's change the order.
        Assert.Equal(5, Reads("VerifyPickup"));
    }
}
