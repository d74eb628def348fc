using Microsoft.Extensions.Time.Testing;
using O2O.Application.StoreOrders;

namespace O2O.IntegrationTests.StoreOrders;

/// <summary>A store gives an order back: it goes to the next nearest store that can serve it, or is refunded.</summary>
public sealed class RerouteTests
{
    [Fact]
    public async Task A_rejected_order_moves_to_the_next_nearest_store_with_stock_and_the_first_stores_units_come_back()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var first = await world.StoreAsync(0, stock: [(tea, 10)]);
        await world.StoreAsync(500, pickup: false, stock: [(tea, 10)]); // nearer, but no pickup
        var empty = await world.StoreAsync(1000, stock: [(tea, 1)]);  // nearer, but short
        var next = await world.StoreAsync(2000, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var firstClerk = await world.ClerkAsync(first);
        using var nextClerk = await world.ClerkAsync(next);
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupNear(world.At(0), (tea, 2)));
        await consumer.PayAsync(world.App, orderId);
        await (await firstClerk.PostAsync($"stores/{first}/orders/{orderId}/accept", null)).ReadOkAsync();

        var rejected = await (await firstClerk.PostAsJsonAsync($"stores/{first}/orders/{orderId}/reject", new { reason = "ice machine broken" })).ReadOkAsync();

        Assert.Equal(next, rejected.GetProperty("storeId").GetString());
        Assert.Equal("Paid", rejected.GetProperty("status").GetString());
        var entry = LastEntry(rejected);
        Assert.Equal($"store:{first}", entry.GetProperty("by").GetString());
        Assert.Equal($"ice machine broken; routed to store {next}", entry.GetProperty("note").GetString());
        Assert.Equal((10, 0, 10), await world.StockAsync(first, tea));
        Assert.Equal((10, 2, 8), await world.StockAsync(next, tea));
        Assert.Equal((1, 0, 1), await world.StockAsync(empty, tea));

        // The first store can no longer act on it and lists it as rejected; the next store has it to accept.
        await (await firstClerk.PostAsync($"stores/{first}/orders/{orderId}/accept", null)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await firstClerk.EventuallyListedAsync($"stores/{first}/orders?status=Rejected", orderId);
        await nextClerk.EventuallyListedAsync($"stores/{next}/orders?status=Paid", orderId);
        var accepted = await (await nextClerk.PostAsync($"stores/{next}/orders/{orderId}/accept", null)).ReadOkAsync();
        Assert.Equal(["PendingPayment", "Paid", "Accepted", "Paid", "Accepted"],
            accepted.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()));

        var stored = await world.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
        Assert.Equal([OrderEventTypes.Placed, OrderEventTypes.Paid, OrderEventTypes.Accepted, OrderEventTypes.Rerouted, OrderEventTypes.Accepted],
            stored!.Outbox.Select(e => e.Type));
        var again = await (await firstClerk.PostAsJsonAsync($"stores/{first}/orders/{orderId}/reject", new { reason = "ice machine broken" })).ReadOkAsync();
        Assert.Equal("Accepted", again.GetProperty("status").GetString()); // a repeated rejection changes nothing
    }

    [Fact]
    public async Task Rejected_by_every_store_that_can_serve_it_the_order_is_cancelled_refunded_and_all_units_return()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var first = await world.StoreAsync(0, stock: [(tea, 10)]);
        var second = await world.StoreAsync(1000, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var firstClerk = await world.ClerkAsync(first);
        using var secondClerk = await world.ClerkAsync(second);
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(first, (tea, 3)));
        await consumer.PayAsync(world.App, orderId);

        await (await firstClerk.PostAsJsonAsync($"stores/{first}/orders/{orderId}/reject", new { reason = "closing early" })).ReadOkAsync();
        var last = await (await secondClerk.PostAsJsonAsync($"stores/{second}/orders/{orderId}/reject", new { reason = "no staff" })).ReadOkAsync();

        Assert.Equal("Cancelled", last.GetProperty("status").GetString());
        Assert.Equal(last.GetProperty("totalFen").GetInt64(), last.GetProperty("refund").GetProperty("amountFen").GetInt64());
        Assert.Equal((10, 0, 10), await world.StockAsync(first, tea));
        Assert.Equal((10, 0, 10), await world.StockAsync(second, tea));
        for (var i = 0; i < 100; i++)
        {
            var refund = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("refund").GetProperty("status").GetString();
            if (refund == "Succeeded") return;
            await Task.Delay(100);
        }
        Assert.Fail("the refund never succeeded");
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_a_bad_one_changes_nothing()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, stock: [(tea, 10)]);
        await world.StoreAsync(1000, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(world.App, orderId);

        await (await clerk.PostAsJsonAsync($"stores/{store}/orders/{orderId}/reject", new { reason = "  " })).ReadValidationProblemAsync("reason");
        await (await clerk.PostAsJsonAsync($"stores/{store}/orders/{orderId}/reject",
            new { reason = new string('x', 201) })).ReadValidationProblemAsync("reason");
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/reject", JsonContent.Create(new { }))).ReadValidationProblemAsync("reason");

        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal(store, order.GetProperty("storeId").GetString());
        Assert.Equal("Paid", order.GetProperty("status").GetString());
        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_store_cannot_reject_another_stores_order_nor_one_that_is_ready()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, stock: [(tea, 10)]);
        var other = await world.StoreAsync(1000, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        using var otherClerk = await world.ClerkAsync(other);
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(world.App, orderId);

        await (await otherClerk.PostAsJsonAsync($"stores/{other}/orders/{orderId}/reject",
            new { reason = "not mine" })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await otherClerk.PostAsJsonAsync($"stores/{store}/orders/{orderId}/reject",
            new { reason = "not mine" })).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        await (await clerk.PostAsJsonAsync($"stores/{store}/orders/{orderId}/reject", new { reason = "too late" })).ReadProblemAsync(HttpStatusCode.Conflict,
            "invalid_transition");

        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
        Assert.Equal((10, 0, 10), await world.StockAsync(other, tea));
    }

    [Fact]
    public async Task Concurrent_rejections_of_one_order_move_it_once()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var first = await world.StoreAsync(0, stock: [(tea, 10)]);
        var second = await world.StoreAsync(1000, stock: [(tea, 10)]);
        var third = await world.StoreAsync(2000, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(first);
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(first, (tea, 2)));
        await consumer.PayAsync(world.App, orderId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            clerk.PostAsJsonAsync($"stores/{first}/orders/{orderId}/reject", new { reason = "sold out" })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        var storeId = order.GetProperty("storeId").GetString();
        Assert.Contains(storeId, new[] { second, third });
        var stored = await world.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
        Assert.Single(stored!.Outbox, e => e.Type == OrderEventTypes.Rerouted);
        Assert.Equal((10, 0, 10), await world.StockAsync(first, tea));
        var units = new[] { second, third }.Select(async s => (await world.StockAsync(s, tea)).Reserved);
        Assert.Equal([storeId == second ? 2 : 0, storeId == third ? 2 : 0], await Task.WhenAll(units));
    }

    [Fact]
    public async Task An_auto_accepting_store_takes_a_paid_order_on_without_a_clerk_also_when_it_is_rerouted_there()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var manual = await world.StoreAsync(0, stock: [(tea, 10)]);
        var automatic = await world.StoreAsync(1000, autoAccept: true, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(manual);
        var direct = await consumer.PlaceOrderAsync(Checkout.PickupAt(automatic, (tea, 1)));
        var rerouted = await consumer.PlaceOrderAsync(Checkout.PickupAt(manual, (tea, 1)));
        await consumer.PayAsync(world.App, direct);
        await consumer.PayAsync(world.App, rerouted);

        var moved = await (await clerk.PostAsJsonAsync($"stores/{manual}/orders/{rerouted}/reject", new { reason = "short-staffed" })).ReadOkAsync();
        var paid = await (await consumer.GetAsync($"orders/{direct}")).ReadOkAsync();

        Assert.Equal("Accepted", paid.GetProperty("status").GetString());
        Assert.Equal($"store:{automatic} (auto-accept)", LastEntry(paid).GetProperty("by").GetString());
        Assert.Equal("Accepted", moved.GetProperty("status").GetString());
        Assert.Equal(automatic, moved.GetProperty("storeId").GetString());
        Assert.Equal((10, 2, 8), await world.StockAsync(automatic, tea));
    }

    [Fact]
    public async Task An_order_nobody_accepts_in_time_moves_on_then_is_refunded_when_no_store_is_left()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var first = await world.StoreAsync(0, stock: [(tea, 10)]);
        var second = await world.StoreAsync(1000, stock: [(tea, 10)]);
        using var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupNear(world.At(0), (tea, 1)));
        await consumer.PayAsync(app, orderId);
        var services = app.Host.Services;
        var relay = services.GetRequiredService<OutboxRelay>(); // this host runs no queue listeners: project by hand
        var rerouting = services.GetRequiredService<Rerouting>();
        await relay.RelayAsync(orderId, CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(9));
        var early = await rerouting.RerouteUnacceptedAsync(first, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = await rerouting.RerouteUnacceptedAsync(first, CancellationToken.None);
        await relay.RelayAsync(orderId, CancellationToken.None);
        var atSecond = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        var secondEarly = await rerouting.RerouteUnacceptedAsync(second, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10));
        var secondDue = await rerouting.RerouteUnacceptedAsync(second, CancellationToken.None);

        Assert.Equal((0, 1, 0, 1), (early, due, secondEarly, secondDue));
        Assert.Equal(second, atSecond.GetProperty("storeId").GetString());
        Assert.Equal("system", LastEntry(atSecond).GetProperty("by").GetString());
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("Pending", order.GetProperty("refund").GetProperty("status").GetString()); // no queue listener here to execute it
        Assert.Equal((10, 0, 10), await world.StockAsync(first, tea));
        Assert.Equal((10, 0, 10), await world.StockAsync(second, tea));
    }

    private static JsonElement LastEntry(JsonElement order)
    {
        var timeline = order.GetProperty("timeline");
        return timeline[timeline.GetArrayLength() - 1];
    }
}
