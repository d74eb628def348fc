using Microsoft.Extensions.Time.Testing;
using O2O.Application.Pickup;
using O2O.Application.Storage.Outbox;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.Pickup;

public sealed class PickupTests
{
    [Fact]
    public async Task From_checkout_to_picked_up_stock_moves_at_each_step_and_every_transition_is_on_the_timeline_and_in_the_outbox_once()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);

        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 3)));
        var placed = await world.StockAsync(store, tea);
        await consumer.PayAsync(world.App, orderId);
        var paid = await world.StockAsync(store, tea);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        var ready = await world.StockAsync(store, tea);
        var pickup = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup");
        var scanned = pickup.GetProperty("qrPayload").GetString();
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = scanned })).ReadOkAsync(); // the clerk scans the QR code

        Assert.Equal($"o2o-pickup:{store}:{pickup.GetProperty("code").GetString()}", scanned);

        Assert.Equal([(10, 3, 7), (10, 3, 7), (10, 3, 7), (7, 0, 7)], [placed, paid, ready, await world.StockAsync(store, tea)]);
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal(["PendingPayment", "Paid", "Accepted", "ReadyForPickup", "PickedUp"],
            order.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        var orders = world.App.Host.Services.GetRequiredService<OrderTable>();
        string[] expected = [OrderEventTypes.Placed, OrderEventTypes.Paid, OrderEventTypes.Accepted, OrderEventTypes.ReadyForPickup, OrderEventTypes.PickedUp];
        for (var i = 0; i < 100; i++)
        {
            var stored = await orders.GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
            Assert.Equal(expected, stored!.Outbox.Select(e => e.Type));
            if (stored.Outbox.All(e => e.State == OutboxState.Published)) return;
            await Task.Delay(100);
        }
        Assert.Fail("the relay never published every event");
    }

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
        Assert.False(ready.GetProperty("pickup").TryGetProperty("qrPayload", out _));
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(ready.GetProperty("timeline").GetArrayLength(), readyAgain.GetProperty("timeline").GetArrayLength());
        Assert.InRange(mine.GetProperty("pickup").GetProperty("expiresAt").GetDateTimeOffset(),
            DateTimeOffset.UtcNow.AddHours(47), DateTimeOffset.UtcNow.AddHours(49));

        var picked = await (await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code })).ReadOkAsync();
        Assert.Equal("PickedUp", picked.GetProperty("status").GetString());
        Assert.Equal((8, 0, 8), await shop.World.StockAsync(shop.Store, shop.Sku));
        await (await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.NotFound,
            "pickup_code_used");
        Assert.Equal((8, 0, 8), await shop.World.StockAsync(shop.Store, shop.Sku));
    }

    [Fact]
    public async Task Of_twenty_clerks_verifying_one_code_at_once_exactly_one_succeeds()
    {
        var shop = await AcceptedOrderAsync();
        await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var code = (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        // 409 while the winner was finishing, 404 "already used" after; a used code is never counted as a wrong guess.
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK),
            a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.NotFound }));
        Assert.Equal((8, 0, 8), await shop.World.StockAsync(shop.Store, shop.Sku));
        var timeline = (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("timeline");
        Assert.Single(timeline.EnumerateArray(), t => t.GetProperty("status").GetString() == "PickedUp");
    }

    [Fact]
    public async Task Five_wrong_codes_close_the_stores_verification_for_the_window()
    {
        var shop = await AcceptedOrderAsync();
        await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{shop.OrderId}/ready", null)).ReadOkAsync();
        var code = (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString()!;
        var wrong = code == "000000" ? "000001" : "000000";

        for (var i = 0; i < 5; i++)
            await (await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify",
                new { code = i == 4 ? "12ab" : wrong })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var blocked = await shop.Clerk.PostAsJsonAsync($"stores/{shop.Store}/pickups/verify", new { code });

        await blocked.ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("ReadyForPickup", (await (await shop.Consumer.GetAsync($"orders/{shop.OrderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_hundred_wrong_guesses_at_once_get_at_most_five_answers_and_the_right_code_is_then_locked_out_too()
    {
        // A clock that stands still: the burst stays inside one 15-minute window of the count.
        await using var app = await TestApp.StartWithClockAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
        var guesses = Enumerable.Range(0, 201).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Where(g => g != code).Take(200);

        var answers = await Task.WhenAll(guesses.Select(g => clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = g })));

        var told = answers.Count(a => a.StatusCode == HttpStatusCode.NotFound);
        Assert.InRange(told, 1, PickupService.MaxFailures);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.NotFound), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("ReadyForPickup", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_burst_of_previews_with_the_right_code_among_wrong_ones_rarely_learns_it_and_never_past_five_wrong_answers()
    {
        const int Trials = 8, Burst = 60;
        await using var app = await TestApp.StartWithClockAsync(new FakeTimeProvider(DateTimeOffset.UtcNow)); // one count window throughout
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        using var consumer = await app.NewConsumerAsync();
        var learned = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var store = await world.StoreAsync(trial * 10, stock: [(tea, 5)]);
            using var clerk = await world.ClerkAsync(store);
            var (_, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea);
            var guesses = Enumerable.Range(0,
                Burst + 1).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Where(g => g != code).Take(Burst - 1).ToList();
            guesses.Insert(Burst / 2, code);

            var answers = await Task.WhenAll(guesses.Select(g => clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code = g })));

            var right = answers[Burst / 2].StatusCode;
            Assert.Contains(right, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests });
            if (right == HttpStatusCode.OK) learned++;
            Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.NotFound), 1, PickupService.MaxFailures);
            Assert.All(answers.Where(a => a.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.OK)),
                a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
            // Locked now: the right code is turned away like any other.
            await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code })).ReadProblemAsync(HttpStatusCode.TooManyRequests,
                "rate_limited");
        }
        // The right code is answered only when it was admitted before the fifth wrong one was counted: a
        // few trials in the burst's first places. Answered from a stale read of the count, it would be nearly every trial.
        Assert.InRange(learned, 0, Trials / 2);
    }

    [Fact]
    public async Task A_right_code_is_admitted_only_under_the_count_it_read_so_a_stale_read_never_beats_the_lockout()
    {
        var app = await TestApp.Shared;
        var codes = app.Host.Services.GetRequiredService<StockTable>();
        var store = TestApp.UniqueId("S");
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < PickupService.MaxFailures - 1; i++)
            Assert.Equal(i + 1, await codes.TryCountFailureAsync(store, now, PickupService.FailureWindow, PickupService.MaxFailures, CancellationToken.None));
        var fresh = await codes.FailuresAsync(store, now, PickupService.FailureWindow, CancellationToken.None);
        Assert.True(await codes.TryAdmitRightCodeAsync(store, fresh, now, PickupService.FailureWindow, PickupService.MaxFailures, CancellationToken.None));
        var stale = await codes.FailuresAsync(store, now, PickupService.FailureWindow, CancellationToken.None);

        Assert.Equal(PickupService.MaxFailures,
            await codes.TryCountFailureAsync(store, now, PickupService.FailureWindow, PickupService.MaxFailures, CancellationToken.None)); // the fifth
        var admitted = await codes.TryAdmitRightCodeAsync(store, stale, now, PickupService.FailureWindow, PickupService.MaxFailures, CancellationToken.None);

        Assert.Equal(PickupService.MaxFailures - 1, stale!.Count);
        Assert.False(admitted);
    }

    [Fact]
    public async Task Right_codes_are_never_counted_so_a_busy_counter_is_never_locked_by_its_own_pickups()
    {
        var first = await AcceptedOrderAsync();
        var codes = new List<(string OrderId, string Code)>();
        for (var i = 0; i < PickupService.MaxFailures + 2; i++)
        {
            var orderId = i == 0 ? first.OrderId : await first.Consumer.PlaceOrderAsync(Checkout.PickupAt(first.Store, (first.Sku, 1)));
            if (i > 0)
            {
                await first.Consumer.PayAsync(first.World.App, orderId);
                await (await first.Clerk.PostAsync($"stores/{first.Store}/orders/{orderId}/accept", null)).ReadOkAsync();
            }
            await (await first.Clerk.PostAsync($"stores/{first.Store}/orders/{orderId}/ready", null)).ReadOkAsync();
            var order = await (await first.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
            codes.Add((orderId, order.GetProperty("pickup").GetProperty("code").GetString()!));
        }

        foreach (var (orderId, code) in codes)
            Assert.Equal("PickedUp",
                (await (await first.Clerk.PostAsJsonAsync($"stores/{first.Store}/pickups/verify",
                new { code })).ReadOkAsync()).GetProperty("status").GetString());
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
