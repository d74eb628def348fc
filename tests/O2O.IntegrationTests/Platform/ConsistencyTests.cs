using Microsoft.Extensions.Time.Testing;
using O2O.Application.Operations;
using O2O.Application.Storage.Outbox;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.Platform;

/// <summary>The checker passes a store after ordinary trading and finds each inconsistency injected into it.</summary>
public sealed class ConsistencyTests
{
    [Fact]
    public async Task A_store_after_ordinary_trading_is_consistent_and_each_injected_fault_is_found()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var services = app.Host.Services;
        var (picked, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();
        var paid = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        await consumer.PayAsync(app, paid);
        var cancelled = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 3)));
        await (await consumer.PostAsync($"orders/{cancelled}/cancel", null)).ReadOkAsync();
        var relay = services.GetRequiredService<OutboxRelay>(); // this host has no queue listener: relay by hand
        foreach (var orderId in new[] { picked, paid, cancelled }) await relay.RelayAsync(orderId, CancellationToken.None);
        clock.Advance(ConsistencyChecker.SettleTime + TimeSpan.FromMinutes(1));
        var checker = services.GetRequiredService<ConsistencyChecker>();
        var stock = services.GetRequiredService<StockTable>();

        var clean = await checker.CheckStoreAsync(store, CancellationToken.None);

        // One more unit counted reserved than any reservation holds.
        var row = (await stock.FindAsync(store, tea, CancellationToken.None))!;
        row.Reserved += 1;
        await stock.SaveAsync(row, CancellationToken.None);
        var overReserved = await checker.CheckStoreAsync(store, CancellationToken.None);
        row = (await stock.FindAsync(store, tea, CancellationToken.None))!;
        row.Reserved -= 1;
        await stock.SaveAsync(row, CancellationToken.None);
        // A paid order whose units were let go.
        await services.GetRequiredService<StockReservations>().ReleaseAsync(store, paid, CancellationToken.None);
        var released = await checker.CheckStoreAsync(store, CancellationToken.None);

        Assert.Empty(clean);
        Assert.Equal(("reserved_mismatch", tea), Subject(Assert.Single(overReserved)));
        Assert.Equal(("order_without_units", paid), Subject(Assert.Single(released)));
    }

    [Fact]
    public async Task An_event_left_unpublished_is_found()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Storage of its own: on the shared Azurite, the shared host's relay would take this order's nudge and publish the event the test unpublishes.
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        var services = app.Host.Services;
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        var stored = await services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
        var evt = stored!.Outbox.Single();
        evt.State = OutboxState.NotPublished; // as if the request died before publishing and its nudge was lost
        await app.Tables.GetTableClient("Orders").UpdateEntityAsync(evt, evt.ETag);
        clock.Advance(ConsistencyChecker.SettleTime + TimeSpan.FromMinutes(1));

        var findings = await services.GetRequiredService<ConsistencyChecker>().CheckStoreAsync(store, CancellationToken.None);

        Assert.Equal(("event_not_published", orderId), Subject(Assert.Single(findings)));
    }

    private static (string Kind, string Subject) Subject(Finding finding) => (finding.Kind, finding.Subject);

    [Fact]
    public async Task The_operator_asks_over_http_with_the_admin_key()
    {
        var world = await StoreWorld.CreateAsync();
        var store = await world.StoreAsync(0);

        var report = await (await world.App.Admin.GetAsync($"admin/consistency?storeId={store}")).ReadOkAsync();

        Assert.True(report.GetProperty("consistent").GetBoolean());
        Assert.Empty(report.GetProperty("findings").EnumerateArray());
        await (await world.App.Admin.GetAsync("admin/consistency?storeId=bad%20id")).ReadValidationProblemAsync("storeId");
        await (await world.App.Http.GetAsync("admin/consistency")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
