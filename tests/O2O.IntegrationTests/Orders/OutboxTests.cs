using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.Orders;

/// <summary>Events leave through the outbox; crashes between checkout's two transactions are repaired.</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task A_placed_order_event_reaches_the_event_grid_topic_as_a_cloud_event()
    {
        var (world, store, tea) = await WorldAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));

        var evt = await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0001");

        Assert.Equal("1.0", evt.GetProperty("specversion").GetString());
        Assert.Equal("o2o.order.placed", evt.GetProperty("type").GetString());
        Assert.Equal("/o2o", evt.GetProperty("source").GetString());
        Assert.Equal($"orders/{orderId}", evt.GetProperty("subject").GetString());
        Assert.Equal(store, evt.GetProperty("data").GetProperty("storeId").GetString());
        Assert.Equal(2, evt.GetProperty("data").GetProperty("items")[0].GetProperty("quantity").GetInt32());
        await EventuallyPublishedAsync(world.App, orderId);
    }

    [Fact]
    public async Task Two_relays_at_once_publish_every_event_and_a_relay_after_a_crash_republishes_with_the_same_id()
    {
        var (world, store, tea) = await WorldAsync();
        var services = world.App.Host.Services;
        var checkout = services.GetRequiredService<CheckoutService>();
        var consumerKey = OrderIds.ConsumerKey("o-" + Guid.NewGuid().ToString("N"));
        var placed = await checkout.PlaceAsync(consumerKey, "k1",
            new CartInput([new LineInput(tea, 1)], new FulfillmentInput("pickup", store, null, null, null), null, null), CancellationToken.None);
        var orderId = placed.Value!.Order.OrderId;
        var relay = services.GetRequiredService<OutboxRelay>();

        // Two runs at once, racing the queue-triggered relay too: the event is published, under its one id.
        await Task.WhenAll(relay.RelayAsync(orderId, CancellationToken.None), relay.RelayAsync(orderId, CancellationToken.None));

        await EventuallyPublishedAsync(world.App, orderId);
        Assert.Equal("o2o.order.placed", (await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0001")).GetProperty("type").GetString());
        // A crash after sending but before marking: the next run sends it again, under the same id.
        var table = services.GetRequiredService<OrderTable>();
        var stored = await table.GetAsync(consumerKey, orderId, CancellationToken.None);
        var evt = stored!.Outbox.Single();
        evt.State = OutboxState.NotPublished;
        await world.App.Tables.GetTableClient("Orders").UpdateEntityAsync(evt, evt.ETag);
        var copiesBefore = PublishedEvents.All(world.App).Count(e => e.GetProperty("id").GetString() == $"{orderId}.0001");
        Assert.Equal(1, await relay.RelayAsync(orderId, CancellationToken.None));
        // Sent again, under the same id (at least once more: the queue's relay may be running too).
        Assert.True(PublishedEvents.All(world.App).Count(e => e.GetProperty("id").GetString() == $"{orderId}.0001") > copiesBefore);
        await EventuallyPublishedAsync(world.App, orderId);
    }

    [Fact]
    public async Task Ten_relay_runs_of_one_order_at_once_in_one_instance_publish_its_event_once()
    {
        // HTTP functions only, on storage of its own: no queue-triggered relay joins in.
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        var orderId = await PlacedAsync(app);
        var eventId = $"{orderId}.0001";
        Assert.Single(PublishedEvents.All(app), e => e.GetProperty("id").GetString() == eventId); // by checkout itself
        // As if checkout died after publishing and before marking: the relay's nudge finds it unpublished.
        var evt = (await StoredAsync(app, orderId)).Outbox.Single();
        evt.State = OutboxState.NotPublished;
        await app.Tables.GetTableClient("Orders").UpdateEntityAsync(evt, evt.ETag);
        var relay = app.Host.Services.GetRequiredService<OutboxRelay>();

        var sent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => relay.RelayAsync(orderId, CancellationToken.None)));

        Assert.Equal(1, sent.Sum());
        Assert.Equal(2, PublishedEvents.All(app).Count(e => e.GetProperty("id").GetString() == eventId));
    }

    [Fact]
    public async Task A_reservation_whose_order_was_never_written_is_released_by_the_sweeper()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var (_, store, tea) = await WorldAsync(app);
        var services = app.Host.Services;
        // The crash: checkout reserved, then died before writing the order.
        var orphan = OrderIds.ForRequest(OrderIds.ConsumerKey("o-crash"), Guid.NewGuid().ToString());
        var (outcome, _) = await services.GetRequiredService<StockReservations>().ReserveAsync(store,
            orphan, "h", [new CartLine(tea, 4)], TimeSpan.FromMinutes(15), CancellationToken.None);
        Assert.Equal(ReservationOutcome.Reserved, outcome);
        var sweeper = services.GetRequiredService<ReservationSweeper>();

        var tooEarly = await sweeper.SweepStoreAsync(store, CancellationToken.None);
        var stillHeld = await new StoreWorld(app).StockAsync(store, tea);
        clock.Advance(ReservationSweeper.OrphanAge + TimeSpan.FromSeconds(1));
        var late = await sweeper.SweepStoreAsync(store, CancellationToken.None);

        Assert.Equal(0, tooEarly.Released);
        Assert.Equal((10, 4, 6), stillHeld);
        Assert.Equal(1, late.Released);
        Assert.Equal((10, 0, 10), await new StoreWorld(app).StockAsync(store, tea));
        Assert.Equal(0, (await sweeper.SweepStoreAsync(store, CancellationToken.None)).Released);
    }

    [Fact]
    public async Task A_placed_order_keeps_its_reservation_and_a_lost_relay_nudge_is_sent_again()
    {
        await TestApp.Shared; // its queue listener (on the real clock) is the relay that answers the nudges
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var (_, store, tea) = await WorldAsync(app);
        var services = app.Host.Services;
        var consumerKey = OrderIds.ConsumerKey("o-" + Guid.NewGuid().ToString("N"));
        var placed = await services.GetRequiredService<CheckoutService>().PlaceAsync(
            consumerKey, "k1", new CartInput([new LineInput(tea, 3)],
                new FulfillmentInput("pickup", store, null, null, null), null, null), CancellationToken.None);
        var orderId = placed.Value!.Order.OrderId;
        // Simulate the lost nudge: whatever relayed the event, put it back to unpublished, as if no relay ever ran.
        await EventuallyPublishedAsync(app, orderId);
        var table = services.GetRequiredService<OrderTable>();
        var evt = (await table.GetAsync(consumerKey, orderId, CancellationToken.None))!.Outbox.Single();
        evt.State = OutboxState.NotPublished;
        await app.Tables.GetTableClient("Orders").UpdateEntityAsync(evt, evt.ETag);

        clock.Advance(ReservationSweeper.OrphanAge + TimeSpan.FromSeconds(1));
        var sweep = await services.GetRequiredService<ReservationSweeper>().SweepStoreAsync(store, CancellationToken.None);

        Assert.Equal(0, sweep.Released);
        Assert.Equal(1, sweep.Confirmed);
        Assert.Equal(1, sweep.Nudged);
        Assert.Equal((10, 3, 7), await new StoreWorld(app).StockAsync(store, tea));
        await EventuallyPublishedAsync(app, orderId);
    }

    /// <summary>
    /// The write committed a while ago, but its caller saw a failure and never nudged the relay (nor
    /// queued the hidden nudge: the write here goes round it). The caller's retry finds the change
    /// made: nothing to write, yet the order's events are unpublished and stale, so it nudges.
    /// </summary>
    [Fact]
    public async Task A_retry_that_finds_its_change_already_committed_still_has_the_events_published()
    {
        var (world, orderId, table, stored) = await PlacedAndPublishedAsync();
        var services = world.App.Host.Services;
        stored.Order.Cancel(DateTimeOffset.UtcNow - OrderChanges.StaleAfter, "consumer", "changed my mind");
        await table.SaveAsync(stored, CancellationToken.None); // committed; the nudge after it never happened

        var retried = await services.GetRequiredService<OrderChanges>().ApplyAsync(
            orderId, o => o.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind"), CancellationToken.None);

        Assert.False(retried.IsSuccess); // already cancelled: nothing to write
        Assert.Equal("o2o.order.cancelled", (await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0002")).GetProperty("type").GetString());
        await EventuallyPublishedAsync(world.App, orderId);
    }

    /// <summary>
    /// Within one change: its write committed, but the answer was lost and the SDK's retry of the
    /// batch met a 412 (played here by committing the same change behind its back). The re-read finds
    /// the change made and writes nothing; the hidden nudge it queued is shown all the same, so the
    /// event goes out now, not a minute later (this waits 30 s).
    /// </summary>
    [Fact]
    public async Task A_change_whose_commit_came_back_as_a_412_still_has_its_events_published_at_once()
    {
        var (world, orderId, table, _) = await PlacedAndPublishedAsync();
        var first = true;

        var cancelled = await world.App.Host.Services.GetRequiredService<OrderChanges>().ApplyAsync(orderId, o =>
        {
            if (first)
            {
                first = false;
                var committed = table.GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None).GetAwaiter().GetResult()!;
                committed.Order.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind");
                table.SaveAsync(committed, CancellationToken.None).GetAwaiter().GetResult();
            }
            return o.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind");
        }, CancellationToken.None);

        Assert.False(cancelled.IsSuccess); // the re-read found it cancelled already
        Assert.Equal("o2o.order.cancelled", (await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0002")).GetProperty("type").GetString());
    }

    /// <summary>
    /// What a change leaves when its instance dies right after the write: the hidden relay nudge it
    /// queued before writing (here due in 2 s rather than a minute) and the committed change. The
    /// nudge surfaces and the relay publishes.
    /// </summary>
    [Fact]
    public async Task A_change_whose_instance_died_after_the_write_is_published_when_its_hidden_nudge_surfaces()
    {
        var (world, orderId, table, stored) = await PlacedAndPublishedAsync();
        var services = world.App.Host.Services;

        await services.GetRequiredService<OrderChanges>().ScheduleRelayAsync(orderId, TimeSpan.FromSeconds(2), CancellationToken.None);
        stored.Order.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind");
        await table.SaveAsync(stored, CancellationToken.None);
        // ...and here the instance died.

        Assert.Equal("o2o.order.cancelled", (await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0002")).GetProperty("type").GetString());
        await EventuallyPublishedAsync(world.App, orderId);
    }

    [Fact]
    public async Task A_change_publishes_its_events_itself_and_deletes_the_sweep_it_queued_hidden_before_writing()
    {
        // HTTP functions only, on storage of its own: nothing else sends or takes messages.
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        var orderId = await PlacedAsync(app);
        var outbox = app.Queues.GetQueueClient(O2O.Application.Storage.StorageNames.OrderOutboxQueue);
        var counter = app.Host.Services.GetRequiredService<StorageRequestCounter>();
        // This call's own requests: the notifications webhook the event reaches counts under its own name.
        var before = counter.ByCaller;

        var cancelled = await app.Host.Services.GetRequiredService<OrderChanges>().ApplyAsync(
            orderId, o => o.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind"), CancellationToken.None);

        var after = counter.ByCaller;
        long Made(string operation) => after.GetValueOrDefault((StorageRequestCounter.Host,
            operation)) - before.GetValueOrDefault((StorageRequestCounter.Host, operation));
        Assert.True(cancelled.IsSuccess);
        // Sweep queued hidden, the order read, the change written, its event marked published, the sweep deleted.
        Assert.Equal((1, 1, 2, 1), (Made("queue.send"), Made("table.read"), Made("table.batch"), Made("queue.delete")));
        Assert.Single(PublishedEvents.All(app), e => e.GetProperty("id").GetString() == $"{orderId}.0002");
        Assert.Equal(0, (await outbox.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.All((await StoredAsync(app, orderId)).Outbox, e => Assert.Equal(OutboxState.Published, e.State));
    }

    [Fact]
    public async Task A_change_whose_events_cannot_be_published_shows_its_sweep_to_the_relay_at_once()
    {
        // The topic refuses every publication (a wrong key): the change is still made, and the relay is told.
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        var orderId = await PlacedAsync(app);
        var outbox = app.Queues.GetQueueClient(O2O.Application.Storage.StorageNames.OrderOutboxQueue);
        var services = app.Host.Services;
        var wrongKey = new DomainEventPublisher(Options.Create(new EventGridSettings
        {
            TopicEndpoint = services.GetRequiredService<IOptions<EventGridSettings>>().Value.TopicEndpoint, TopicKey = "wrong",
        }));
        var changes = ActivatorUtilities.CreateInstance<OrderChanges>(services, ActivatorUtilities.CreateInstance<OutboxRelay>(services, wrongKey));

        var cancelled = await changes.ApplyAsync(
            orderId, o => o.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind"), CancellationToken.None);

        Assert.True(cancelled.IsSuccess);
        Assert.Equal(orderId, TracedMessage.IdOf(Assert.Single((await outbox.PeekMessagesAsync(10)).Value).Body.ToString()));
        var stored = await StoredAsync(app, orderId);
        Assert.Equal(OutboxState.NotPublished, stored.Outbox[^1].State);
        Assert.Equal(OrderStatus.Cancelled, stored.Order.Status);

        // A new order's events have no sweep: the relay is nudged instead, and the caller hears nothing of it.
        await outbox.ClearMessagesAsync();
        await changes.PublishCreatedAsync(stored, CancellationToken.None);
        Assert.Equal(orderId, TracedMessage.IdOf(Assert.Single((await outbox.PeekMessagesAsync(10)).Value).Body.ToString()));
    }

    /// <summary>A pickup order of one unit, placed at a new stocked store of <paramref name="app"/>.</summary>
    private static async Task<string> PlacedAsync(TestApp app)
    {
        var (tea, store) = await new StoreWorld(app).StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        return await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
    }

    private static async Task<OrderTable.StoredOrder> StoredAsync(TestApp app, string orderId) =>
        (await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None))!;

    /// <summary>An order placed in the shared host, its placed event published, and the order as stored.</summary>
    private static async Task<(StoreWorld World, string OrderId, OrderTable Table, OrderTable.StoredOrder Stored)> PlacedAndPublishedAsync()
    {
        var (world, store, tea) = await WorldAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await EventuallyPublishedAsync(world.App, orderId);
        var table = world.App.Host.Services.GetRequiredService<OrderTable>();
        return (world, orderId, table, (await table.GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None))!);
    }

    private static async Task<(StoreWorld World, string Store, string Tea)> WorldAsync(TestApp? app = null)
    {
        var world = app is null ? await StoreWorld.CreateAsync() : new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        return (world, store, tea);
    }

    private static async Task EventuallyPublishedAsync(TestApp app, string orderId)
    {
        var table = app.Host.Services.GetRequiredService<OrderTable>();
        var consumerKey = OrderIds.ConsumerKeyOf(orderId)!;
        for (var i = 0; i < 300; i++)
        {
            var stored = await table.GetAsync(consumerKey, orderId, CancellationToken.None);
            if (stored!.Outbox.Count > 0 && stored.Outbox.All(e => e.State == OutboxState.Published)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"the events of order {orderId} were not published");
    }
}
