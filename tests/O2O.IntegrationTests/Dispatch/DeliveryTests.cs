using System.Text;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Dispatch;
using O2O.Domain.Dispatch;

namespace O2O.IntegrationTests.Dispatch;

/// <summary>Same-city delivery through the courier sandboxes, each speaking its platform's protocol and signatures.</summary>
public sealed class DeliveryTests
{
    [Theory]
    [InlineData("dada")]
    [InlineData("meituan")]
    [InlineData("sf")]
    public async Task From_checkout_to_delivered_every_transition_and_event_happens_once_and_the_stock_leaves_the_store(string provider)
    {
        var shop = await ShopAsync(await TestApp.Shared, [provider]);

        var orderId = await shop.ReadyDeliveryAsync();
        var delivered = await shop.EventuallyAsync(orderId, "Delivered");

        Assert.Equal(["PendingPayment", "Paid", "Accepted", "Dispatching", "CourierAssigned", "InTransit", "Delivered"], Statuses(delivered));
        var delivery = delivered.GetProperty("delivery");
        Assert.Equal(provider, delivery.GetProperty("provider").GetString());
        Assert.Equal("139****5678", delivery.GetProperty("rider").GetProperty("phone").GetString());
        Assert.Equal("王师傅", delivery.GetProperty("rider").GetProperty("name").GetString());
        await shop.EventuallyStockAsync((8, 0, 8));
        var stored = await shop.World.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!,
            orderId, CancellationToken.None);
        Assert.Equal(
            [OrderEventTypes.Placed, OrderEventTypes.Paid, OrderEventTypes.Accepted, OrderEventTypes.Dispatched, OrderEventTypes.CourierAssigned,
                OrderEventTypes.InTransit, OrderEventTypes.Delivered],
            stored!.Outbox.Select(e => e.Type));
        Assert.Single(shop.Sandbox.Bookings(provider), b => b.DeliveryId.StartsWith(orderId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delivery_whose_events_could_not_be_published_leaves_its_units_held_until_the_relay_publishes_them()
    {
        // HTTP functions only, on storage of its own, and riders that never move by themselves: the test brings the delivery's news.
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes, overrides: new Dictionary<string, string?>
        {
            ["Sandbox__CourierStepMs"] = "600000",
        }, storage: await O2O.Testing.Azurite.StartAsync());
        using var scene = await StoreScene.StartAsync(app, couriers: ["dada"]);
        var orderId = await scene.Consumer.PlaceOrderAsync(Checkout.Delivery(scene.World.At(800), (scene.Sku, 2)));
        await scene.Consumer.PayAsync(app, orderId);
        await scene.Clerk.AcceptAndReadyAsync(scene.Store, orderId);
        var services = app.Host.Services;
        Assert.Equal(DispatchOutcome.Booked, await services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None));
        var deliveryId = (await services.GetRequiredService<OrderTable>().FindAsync(orderId, CancellationToken.None))!.Order.Delivery!.DeliveryId(orderId)!;
        // The courier's news is applied by an instance whose topic refuses every publication (a wrong key).
        var wrongKey = new O2O.Application.Storage.Outbox.DomainEventPublisher(Microsoft.Extensions.Options.Options.Create(
            new O2O.Application.Storage.Outbox.EventGridSettings
            {
                TopicEndpoint = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<O2O.Application.Storage.Outbox.EventGridSettings>>()
                    .Value.TopicEndpoint,
                TopicKey = "wrong",
            }));
        var cutOff = ActivatorUtilities.CreateInstance<CourierWebhooks>(services,
            ActivatorUtilities.CreateInstance<OrderChanges>(services, ActivatorUtilities.CreateInstance<OutboxRelay>(services, wrongKey)));
        foreach (var status in new[] { CourierStatus.Assigned, CourierStatus.InTransit, CourierStatus.Delivered })
            Assert.True((await cutOff.ApplyAsync(new CourierUpdate("dada", deliveryId, null, status, DateTimeOffset.UtcNow, "王师傅", "13912345678"),
                asked: false, CancellationToken.None)).IsSuccess);
        var beforeRelay = await scene.World.StockAsync(scene.Store, scene.Sku);

        await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);
        await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None); // again: nothing more leaves

        Assert.Equal((10, 2, 8), beforeRelay); // delivered, and the units still held: the stock step rides on the events
        Assert.Equal((8, 0, 8), await scene.World.StockAsync(scene.Store, scene.Sku));
    }

    [Fact]
    public async Task A_store_with_a_preparation_time_dispatches_on_accept_and_ready_changes_nothing_after()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["meituan"], preparationMinutes: 20);
        var orderId = await shop.Consumer.PlaceOrderAsync(Checkout.Delivery(shop.World.At(800), (shop.Sku, 2)));
        await shop.Consumer.PayAsync(shop.World.App, orderId);

        var accepted = await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{orderId}/accept", null)).ReadOkAsync();
        var acceptedAgain = await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{orderId}/accept", null)).ReadOkAsync();
        var delivered = await shop.EventuallyAsync(orderId, "Delivered");
        await (await shop.Clerk.PostAsync($"stores/{shop.Store}/orders/{orderId}/ready", null)).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");

        Assert.Equal("Dispatching", accepted.GetProperty("status").GetString());
        Assert.Equal(Statuses(accepted), Statuses(acceptedAgain));
        Assert.Equal(["PendingPayment", "Paid", "Accepted", "Dispatching", "CourierAssigned", "InTransit", "Delivered"], Statuses(delivered));
    }

    [Fact]
    public async Task An_auto_accepting_store_with_a_preparation_time_has_its_rider_asked_for_on_payment_as_a_clerks_accept_would()
    {
        // HTTP functions only, on storage of its own: no watchdog timer or dispatch listener acts first.
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, autoAccept: true, couriers: ["sf"], preparationMinutes: 15, stock: [(tea, 10)]);
        using var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(800), (tea, 2)));

        await consumer.PayAsync(app, orderId); // nobody at the store touches it

        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal(["PendingPayment", "Paid", "Accepted", "Dispatching"], Statuses(order));
        var requests = (await app.Queues.GetQueueClient(O2O.Application.Storage.StorageNames.CourierDispatchQueue).PeekMessagesAsync(32)).Value;
        Assert.Contains(requests, m => TracedMessage.IdOf(m.Body.ToString()) == orderId);
    }

    [Fact]
    public async Task Repeated_and_concurrent_dispatches_of_one_order_book_one_rider()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["dada", "sf"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider));
        var dispatcher = shop.World.App.Host.Services.GetRequiredService<Dispatcher>(); // besides the queue's own run

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => dispatcher.DispatchAsync(orderId, CancellationToken.None)));
        await dispatcher.DispatchAsync(orderId, CancellationToken.None);

        var booking = Assert.Single(shop.Sandbox.Bookings("dada"), b => b.DeliveryId.StartsWith(orderId, StringComparison.Ordinal));
        Assert.Equal(DeliveryIds.For(orderId, 1), booking.DeliveryId);
        Assert.DoesNotContain(shop.Sandbox.Bookings("sf"), b => b.DeliveryId.StartsWith(orderId, StringComparison.Ordinal));
        var stored = await shop.World.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!,
            orderId, CancellationToken.None);
        Assert.Equal((1, "dada"), (stored!.Order.Delivery!.Attempt, stored.Order.Delivery.Provider));
    }

    [Fact]
    public async Task Shuffled_and_repeated_webhooks_reach_the_same_final_state()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["sf"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.Shuffle));

        var delivered = await shop.EventuallyAsync(orderId, "Delivered");
        await Task.Delay(500); // the rest of the scrambled pushes arrive after "delivered"

        var final = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Delivered", final.GetProperty("status").GetString());
        Assert.Equal(Statuses(delivered), Statuses(final));
        Assert.Single(Statuses(final), s => s == "Delivered");
        await shop.EventuallyStockAsync((8, 0, 8));
    }

    [Theory]
    [InlineData("dada")]
    [InlineData("meituan")]
    [InlineData("sf")]
    public async Task A_forged_webhook_is_refused_in_the_platforms_format_and_changes_nothing(string provider)
    {
        var shop = await ShopAsync(await TestApp.Shared, [provider]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider));
        var booking = await shop.BookingAsync(orderId, provider);
        var (body, query, contentType) = shop.Sandbox.Webhook(booking, CourierStatus.Delivered);
        var forged = provider switch
        {
            // Dada signs only client_id, order_id and update_time: a forgery must touch one of them to be seen.
            "dada" => body.Replace("\"update_time\":", "\"update_time\":1", StringComparison.Ordinal),
            "meituan" => body.Replace("%E7%8E%8B", "%E6%9D%8E", StringComparison.Ordinal), // another rider's name
            _ => body.Replace("Delivered", "Forgery", StringComparison.Ordinal),
        };
        Assert.NotEqual(body, forged);

        var answer = await shop.World.App.Http.PostAsync($"couriers/{provider}/webhook{query}", new StringContent(forged, Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        var order = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Dispatching", order.GetProperty("status").GetString());
        await shop.EventuallyStockAsync((10, 2, 8));
    }

    /// <summary>
    /// Dada's push signature needs no secret: anyone who knows an order id can sign a push with any
    /// status. Each push is checked against Dada's signed order query, so none of them moves a
    /// delivery, whatever its state, while the real rider's own pushes still do.
    /// </summary>
    [Fact]
    public async Task Forged_dada_pushes_with_a_correct_signature_change_no_delivery_in_any_state()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["dada"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider));
        var booking = await shop.BookingAsync(orderId, "dada");
        CourierStatus[] forgeries = [.. Enum.GetValues<CourierStatus>()];
        var accepted = 0;

        foreach (var (real, orderStatus) in new[]
                 {
                     (CourierStatus.Waiting, "Dispatching"), (CourierStatus.Assigned, "CourierAssigned"), (CourierStatus.AtStore, "CourierAssigned"),
                     (CourierStatus.InTransit, "InTransit"),
                 })
        {
            if (real != CourierStatus.Waiting) Assert.Equal(200, await shop.Sandbox.PushAsync(booking, real)); // the real rider moves it
            var before = await shop.EventuallyAsync(orderId, orderStatus);
            foreach (var forged in forgeries.Where(f => f != real))
            {
                // A forger's push: the sandbox's platform state stays where the real rider left it.
                var (body, query, contentType) = shop.Sandbox.Webhook(booking, forged, riderName: "假骑手");
                var answer = await shop.World.App.Http.PostAsync($"couriers/dada/webhook{query}", new StringContent(body, Encoding.UTF8, contentType));
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                var after = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
                if (after.GetProperty("status").GetString() != orderStatus || Statuses(after).Count() != Statuses(before).Count()
                    || after.GetProperty("delivery").GetProperty("rider").GetProperty("name").GetString() == "假骑手")
                    accepted++;
            }
        }

        Assert.Equal(0, accepted);
        Assert.Equal(200, await shop.Sandbox.PushAsync(booking, CourierStatus.Delivered));
        await shop.EventuallyAsync(orderId, "Delivered");
        await shop.EventuallyStockAsync((8, 0, 8));
    }

    [Fact]
    public async Task A_push_for_a_delivery_that_does_not_exist_or_is_over_is_never_confirmed_with_the_platform()
    {
        await using var app = await TestApp.StartIsolatedAsync(); // counts the dada sandbox's requests: no other test's on this host
        var shop = await ShopAsync(app, ["dada"]);
        var orderId = await shop.ReadyDeliveryAsync();
        var booking = await shop.BookingAsync(orderId, "dada");
        await shop.EventuallyAsync(orderId, "Delivered");
        var unknownOrder = OrderIds.ForRequest(OrderIds.ConsumerKey("o-nobody"), "k-1");
        var nowhere = new CourierSandbox.Booking("dada", DeliveryIds.For(unknownOrder, 1), "DD1", shop.Store, booking.Callback);
        var before = shop.Sandbox.Requests("dada");

        var answers = new List<HttpStatusCode>();
        foreach (var (target, status) in new[] { (nowhere, CourierStatus.Assigned), (booking, CourierStatus.Returning), (booking, CourierStatus.Delivered) })
        {
            var (body, query, contentType) = shop.Sandbox.Webhook(target, status);
            answers.Add((await app.Http.PostAsync($"couriers/dada/webhook{query}", new StringContent(body, Encoding.UTF8, contentType))).StatusCode);
        }

        Assert.Equal(before, shop.Sandbox.Requests("dada")); // dada was asked nothing
        Assert.NotEqual(HttpStatusCode.OK, answers[0]); // no such delivery
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], answers.Skip(1)); // ours, but over: taken, nothing changes
        Assert.Equal("Delivered", (await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_dada_push_that_cannot_be_confirmed_is_answered_5xx_so_dada_pushes_again_and_changes_nothing()
    {
        await using var app = await TestApp.StartIsolatedAsync(); // Dada down would open the shared host's breaker
        var shop = await ShopAsync(app, ["dada"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider));
        var booking = await shop.BookingAsync(orderId, "dada");
        shop.Sandbox.SetBehaviour("dada", CourierBehaviour.Down);
        var (body, query, contentType) = shop.Sandbox.Webhook(booking, CourierStatus.Assigned);

        var answer = await app.Http.PostAsync($"couriers/dada/webhook{query}", new StringContent(body, Encoding.UTF8, contentType));

        Assert.InRange((int)answer.StatusCode, 500, 599);
        Assert.Equal("Dispatching", (await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("dada", "[]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("dada", "not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("sf", "{}", "application/json", HttpStatusCode.Unauthorized)] // no sign
    [InlineData("meituan", "status=50&order_id=x", "application/x-www-form-urlencoded", HttpStatusCode.Unauthorized)]
    [InlineData("ele", "{}", "application/json", HttpStatusCode.NotFound)]
    public async Task A_malformed_or_unsigned_webhook_is_a_4xx_never_a_500(string provider, string body, string contentType, HttpStatusCode expected)
    {
        var app = await TestApp.Shared;

        var answer = await app.Http.PostAsync($"couriers/{provider}/webhook", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, answer.StatusCode);
    }

    [Fact]
    public async Task Another_platforms_or_an_old_bookings_webhook_changes_nothing()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["dada", "meituan"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider));
        var booking = await shop.BookingAsync(orderId, "dada");
        // Meituan signs correctly, but the booking is dada's.
        var stranger = booking with { Provider = "meituan", Callback = booking.Callback.Replace("/dada/", "/meituan/", StringComparison.Ordinal) };

        Assert.Equal(200, await shop.Sandbox.PushAsync(stranger, CourierStatus.Delivered));
        // Dada is asked about every push: one of a delivery it never had is refused.
        Assert.Equal(400, await shop.Sandbox.PushAsync(booking with { DeliveryId = DeliveryIds.For(orderId, 7) }, CourierStatus.Delivered));

        Assert.Equal("Dispatching", (await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
        Assert.Equal(200, await shop.Sandbox.PushAsync(booking, CourierStatus.Assigned, riderName: "张师傅"));
        Assert.Equal(200, await shop.Sandbox.PushAsync(booking, CourierStatus.Assigned, riderName: "赵师傅")); // reassigned
        var order = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("CourierAssigned", order.GetProperty("status").GetString());
        Assert.Equal("赵师傅", order.GetProperty("delivery").GetProperty("rider").GetProperty("name").GetString());
        Assert.Single(Statuses(order), s => s == "CourierAssigned");
    }

    [Fact]
    public async Task A_delivery_returned_to_the_store_is_cancelled_refunded_and_its_units_are_back_on_sale()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["dada"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.Return));

        var cancelled = await shop.EventuallyAsync(orderId, "Cancelled");

        Assert.Equal("Returned", cancelled.GetProperty("delivery").GetProperty("status").GetString());
        Assert.Equal(cancelled.GetProperty("totalFen").GetInt64(), cancelled.GetProperty("refund").GetProperty("amountFen").GetInt64());
        await shop.EventuallyStockAsync((10, 0, 10));
        var stored = await shop.World.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!,
            orderId, CancellationToken.None);
        Assert.Single(stored!.Outbox, e => e.Type == OrderEventTypes.DeliveryReturning);
    }

    [Fact]
    public async Task A_store_that_redelivers_sends_a_returned_delivery_out_once_more_then_refunds()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["dada"], redeliverReturns: true);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.Return));

        var cancelled = await shop.EventuallyAsync(orderId, "Cancelled");

        Assert.Equal(
            ["PendingPayment", "Paid", "Accepted", "Dispatching", "CourierAssigned", "InTransit", "Dispatching", "CourierAssigned", "InTransit", "Cancelled"],
            Statuses(cancelled));
        Assert.Equal(2, shop.Sandbox.Bookings("dada").Count(b => b.DeliveryId.StartsWith(orderId, StringComparison.Ordinal)));
        await shop.EventuallyStockAsync((10, 0, 10));
    }

    [Fact]
    public async Task A_platform_that_cancels_is_given_up_and_the_next_one_books_the_rider()
    {
        var shop = await ShopAsync(await TestApp.Shared, ["meituan", "sf"]);
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.Cancel, "meituan"));

        var delivered = await shop.EventuallyAsync(orderId, "Delivered");

        Assert.Equal("sf", delivered.GetProperty("delivery").GetProperty("provider").GetString());
        Assert.Equal(["PendingPayment", "Paid", "Accepted", "Dispatching", "CourierAssigned", "Dispatching", "CourierAssigned", "InTransit", "Delivered"],
            Statuses(delivered));
    }

    [Fact]
    public async Task With_the_first_platform_down_the_second_books_every_rider_and_the_breaker_stops_asking_the_first()
    {
        await using var app = await TestApp.StartIsolatedAsync(); // the breaker is the host's: keep it from parallel tests
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();
        sandbox.SetBehaviour("dada", CourierBehaviour.Down);
        var shop = await ShopAsync(app, ["dada", "meituan"]);

        var first = await shop.ReadyDeliveryAsync();
        var firstDelivered = await shop.EventuallyAsync(first, "Delivered");
        var askedWhileClosed = sandbox.Requests("dada");
        var second = await shop.ReadyDeliveryAsync();
        var secondDelivered = await shop.EventuallyAsync(second, "Delivered");

        Assert.Equal("meituan", firstDelivered.GetProperty("delivery").GetProperty("provider").GetString());
        Assert.Equal("meituan", secondDelivered.GetProperty("delivery").GetProperty("provider").GetString());
        Assert.InRange(askedWhileClosed, 3, 6); // a booking and its withdrawal, each tried three times until the breaker opened
        Assert.Equal(askedWhileClosed, sandbox.Requests("dada")); // open: the second order never reached dada
    }

    [Fact]
    public async Task A_platform_that_never_answers_times_out_and_the_next_one_books_the_rider()
    {
        await using var app = await TestApp.StartIsolatedAsync(); // a hanging platform would hold up the shared host's dispatches
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();
        sandbox.SetBehaviour("sf", CourierBehaviour.Hang);
        var shop = await ShopAsync(app, ["sf", "dada"]);

        var orderId = await shop.ReadyDeliveryAsync();
        // sf: three 3 s tries within the 10 s budget, then the same again for withdrawing the booking.
        var delivered = await shop.EventuallyAsync(orderId, "Delivered", seconds: 90);

        Assert.Equal("dada", delivered.GetProperty("delivery").GetProperty("provider").GetString());
        Assert.True(sandbox.Requests("sf") >= 1);
        Assert.Empty(sandbox.Bookings("sf"));
    }

    [Fact]
    public async Task When_every_platform_fails_the_order_is_flagged_for_the_store_and_an_alert_raised_once()
    {
        await using var app = await TestApp.StartIsolatedAsync();
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();
        sandbox.SetBehaviour("sf", CourierBehaviour.Down);
        var shop = await ShopAsync(app, ["sf"]);

        var orderId = await shop.ReadyDeliveryAsync();
        var listed = await shop.Clerk.EventuallyListedAsync($"stores/{shop.Store}/orders?status=Dispatching", orderId);
        for (var i = 0; i < 100 && !listed.GetProperty("flagged").GetBoolean(); i++)
        {
            await Task.Delay(100);
            listed = await shop.Clerk.EventuallyListedAsync($"stores/{shop.Store}/orders?status=Dispatching", orderId);
        }

        Assert.True(listed.GetProperty("flagged").GetBoolean());
        var order = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.True(order.GetProperty("delivery").GetProperty("flagged").GetBoolean());
        var stored = await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
        Assert.Single(stored!.Outbox, e => e.Type == OrderEventTypes.DispatchFailed);
    }

    [Fact]
    public async Task A_booking_no_rider_takes_in_time_is_withdrawn_and_the_next_platform_delivers()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Its own storage: no other host's queue listener may dispatch this order; the test drives dispatch itself.
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var shop = await ShopAsync(app, ["dada", "sf"]);
        var services = app.Host.Services;
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider, "dada"));
        var booked = await services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None);
        await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);
        var watchdog = services.GetRequiredService<DispatchWatchdog>();

        clock.Advance(TimeSpan.FromMinutes(9));
        var early = await watchdog.RunStoreAsync(shop.Store, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = await watchdog.RunStoreAsync(shop.Store, CancellationToken.None);
        var delivered = await shop.EventuallyAsync(orderId, "Delivered");

        Assert.Equal((DispatchOutcome.Booked, 0, 1), (booked, early, due));
        Assert.Equal("sf", delivered.GetProperty("delivery").GetProperty("provider").GetString());
        Assert.True(Assert.Single(shop.Sandbox.Bookings("dada")).Cancelled);
        await shop.EventuallyStockAsync((8, 0, 8));
    }

    [Fact]
    public async Task A_booking_whose_rider_came_but_whose_webhook_was_lost_is_not_withdrawn_the_platform_is_asked_first()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var shop = await ShopAsync(app, ["dada", "sf"]);
        var services = app.Host.Services;
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider, "dada"));
        await services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None);
        await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);
        var booking = await shop.BookingAsync(orderId, "dada");
        booking.Status = CourierStatus.Assigned; // a rider took it at Dada; the webhook never came
        booking.RiderName = "钱师傅";

        clock.Advance(TimeSpan.FromMinutes(10));
        var moved = await services.GetRequiredService<DispatchWatchdog>().RunStoreAsync(shop.Store, CancellationToken.None);

        Assert.Equal(1, moved);
        var order = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("CourierAssigned", order.GetProperty("status").GetString());
        Assert.Equal("钱师傅", order.GetProperty("delivery").GetProperty("rider").GetProperty("name").GetString());
        Assert.False(booking.Cancelled);
        Assert.Empty(shop.Sandbox.Bookings("sf"));
    }

    [Theory]
    [InlineData("dada")]
    [InlineData("meituan")]
    [InlineData("sf")]
    public async Task A_delivery_whose_platform_falls_silent_is_looked_up_after_the_silence_and_finished(string provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Its own storage: the test drives dispatch, relay and watchdog itself.
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var shop = await ShopAsync(app, [provider]);
        var services = app.Host.Services;
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.Silent));
        await services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None);
        var booking = await shop.BookingAsync(orderId, provider);
        await shop.EventuallyAsync(orderId, "CourierAssigned"); // the one webhook that came
        for (var i = 0; i < 100 && booking.Status != CourierStatus.Delivered; i++) await Task.Delay(50); // the rest happened in silence
        await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);
        var watchdog = services.GetRequiredService<DispatchWatchdog>();

        clock.Advance(TimeSpan.FromMinutes(19));
        var early = await watchdog.RunStoreAsync(shop.Store, CancellationToken.None);
        var stillAssigned = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = await watchdog.RunStoreAsync(shop.Store, CancellationToken.None);

        Assert.Equal(CourierStatus.Delivered, booking.Status);
        Assert.Equal((0, 1), (early, due));
        Assert.Equal("CourierAssigned", stillAssigned.GetProperty("status").GetString());
        var delivered = await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal(["PendingPayment", "Paid", "Accepted", "Dispatching", "CourierAssigned", "Delivered"], Statuses(delivered));
        await shop.EventuallyStockAsync((8, 0, 8));
    }

    [Fact]
    public async Task A_silent_platform_that_still_shows_the_same_state_is_asked_again_only_after_another_silence()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var shop = await ShopAsync(app, ["dada"]);
        var services = app.Host.Services;
        var orderId = await shop.ReadyDeliveryAsync(beforeReady: () => shop.Sandbox.SetBehaviourFor(shop.Store, CourierBehaviour.NoRider));
        await services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None);
        var booking = await shop.BookingAsync(orderId, "dada");
        Assert.Equal(200, await shop.Sandbox.PushAsync(booking, CourierStatus.InTransit)); // then nothing more, and the rider stays out
        await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);
        var watchdog = services.GetRequiredService<DispatchWatchdog>();
        var orders = services.GetRequiredService<OrderTable>();

        clock.Advance(TimeSpan.FromMinutes(20));
        await watchdog.RunStoreAsync(shop.Store, CancellationToken.None);
        var askedAt = (await orders.GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None))!.Order.Delivery!.HeardAt;
        clock.Advance(TimeSpan.FromMinutes(10));
        await watchdog.RunStoreAsync(shop.Store, CancellationToken.None);
        var notAskedAgain = (await orders.GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None))!.Order.Delivery!.HeardAt;

        Assert.Equal(clock.GetUtcNow().AddMinutes(-10), askedAt);
        Assert.Equal(askedAt, notAskedAgain);
        Assert.Equal("InTransit", (await (await shop.Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    private static IEnumerable<string?> Statuses(JsonElement order) =>
        order.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToList();

    private static async Task<DeliveryShop> ShopAsync(TestApp app, string[] couriers, int? preparationMinutes = null, bool redeliverReturns = false)
    {
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, couriers: couriers, preparationMinutes: preparationMinutes,
            redeliverReturns: redeliverReturns, stock: [(tea, 10)]);
        return new DeliveryShop(world, store, tea, await app.NewConsumerAsync(),
            await world.ClerkAsync(store), app.Host.Services.GetRequiredService<CourierSandbox>());
    }

    private sealed record DeliveryShop(StoreWorld World, string Store, string Sku, HttpClient Consumer, HttpClient Clerk, CourierSandbox Sandbox)
    {
        /// <summary>Places, pays and accepts a delivery of two units, then marks it ready, which sends it to dispatch.</summary>
        public async Task<string> ReadyDeliveryAsync(Action? beforeReady = null)
        {
            var orderId = await Consumer.PlaceOrderAsync(Checkout.Delivery(World.At(800), (Sku, 2)));
            await Consumer.PayAsync(World.App, orderId);
            await (await Clerk.PostAsync($"stores/{Store}/orders/{orderId}/accept", null)).ReadOkAsync();
            beforeReady?.Invoke();
            await (await Clerk.PostAsync($"stores/{Store}/orders/{orderId}/ready", null)).ReadOkAsync();
            return orderId;
        }

        /// <summary>Waits (30 s unless told): under the whole suite's load, the local host's queue batches can hold a dispatch back for seconds.</summary>
        public async Task<JsonElement> EventuallyAsync(string orderId, string status, int seconds = 30)
        {
            for (var i = 0; i < seconds * 10; i++)
            {
                var order = await (await Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
                if (order.GetProperty("status").GetString() == status) return order;
                await Task.Delay(100);
            }
            Assert.Fail($"order {orderId} never became {status}");
            return default;
        }

        /// <summary>The stock follows the order in a second step (the webhook's, after the order's write): wait for it.</summary>
        public async Task EventuallyStockAsync((int OnHand, int Reserved, int Available) expected) =>
            Assert.Equal(expected, await World.EventuallyStockAsync(Store, Sku, expected));

        public async Task<CourierSandbox.Booking> BookingAsync(string orderId, string provider)
        {
            for (var i = 0; i < 300; i++)
            {
                if (Sandbox.Bookings(provider).FirstOrDefault(b => b.DeliveryId.StartsWith(orderId, StringComparison.Ordinal)) is { } booking)
                {
                    await EventuallyBookedAsync(orderId);
                    return booking;
                }
                await Task.Delay(100);
            }
            Assert.Fail($"order {orderId} was never booked with {provider}");
            return null!;
        }

        private async Task EventuallyBookedAsync(string orderId)
        {
            for (var i = 0; i < 300; i++)
            {
                var order = await (await Consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
                if (order.GetProperty("delivery").TryGetProperty("provider", out _)) return;
                await Task.Delay(100);
            }
        }
    }
}
