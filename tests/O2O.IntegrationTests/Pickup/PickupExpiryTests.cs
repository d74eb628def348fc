using Microsoft.Extensions.Time.Testing;
using O2O.Application.Pickup;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.Pickup;

public sealed class PickupExpiryTests
{
    [Fact]
    public async Task An_uncollected_pickup_is_reminded_halfway_then_cancelled_refunded_and_restocked()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, pickupHoldHours: 6, stock: [(tea, 10)]);
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var consumer = await app.NewConsumerAsync(openId);
        using var clerk = await world.ClerkAsync(store);
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
        var expiry = app.Host.Services.GetRequiredService<PickupExpiry>();

        var early = await expiry.RunStoreAsync(store, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(3));
        var halfway = await expiry.RunStoreAsync(store, CancellationToken.None);
        var halfwayAgain = await expiry.RunStoreAsync(store, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(3));
        var end = await expiry.RunStoreAsync(store, CancellationToken.None);

        Assert.Equal(new PickupExpiry.ExpiryResult(0, 0), early);
        Assert.Equal(new PickupExpiry.ExpiryResult(1, 0), halfway);
        Assert.Equal(new PickupExpiry.ExpiryResult(0, 0), halfwayAgain);
        Assert.Equal(new PickupExpiry.ExpiryResult(0, 1), end);
        using var sameConsumer = await app.NewConsumerAsync(openId); // hours later: the old session has expired
        var order = await (await sameConsumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal(order.GetProperty("totalFen").GetInt64(), order.GetProperty("refund").GetProperty("amountFen").GetInt64());
        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var stored = await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
        Assert.Single(stored!.Outbox, e => e.Type == OrderEventTypes.PickupReminder);
    }

    [Fact]
    public async Task A_verification_that_died_after_using_the_code_is_finished_by_a_later_retry_or_by_the_sweep()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var retried = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        var swept = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        var codes = app.Host.Services.GetRequiredService<StockTable>();
        var expiry = app.Host.Services.GetRequiredService<PickupExpiry>();
        // The state a crash between verification's two steps leaves: the code used, the order still waiting.
        foreach (var (_, code) in new[] { retried, swept }) await UseCodeAsync(codes, store, code, clock.GetUtcNow());

        var whileFinishing = await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = retried.Code });
        var sweptTooEarly = await expiry.RunStoreAsync(store, CancellationToken.None);
        clock.Advance(PickupService.UnfinishedAfter);
        var retry = await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = retried.Code })).ReadOkAsync();
        var sweep = await expiry.RunStoreAsync(store, CancellationToken.None);

        await whileFinishing.ReadProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(new PickupExpiry.ExpiryResult(0, 0, 0), sweptTooEarly);
        Assert.Equal("PickedUp", retry.GetProperty("status").GetString());
        Assert.Equal(new PickupExpiry.ExpiryResult(0, 0, 1), sweep);
        Assert.Equal("PickedUp", (await (await consumer.GetAsync($"orders/{swept.OrderId}")).ReadOkAsync()).GetProperty("status").GetString());
        Assert.Equal(PickupCodeState.Closed, (await codes.FindCodeAsync(store, retried.Code, CancellationToken.None))!.State);
        Assert.Equal(PickupCodeState.Closed, (await codes.FindCodeAsync(store, swept.Code, CancellationToken.None))!.State);
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = retried.Code })).ReadProblemAsync(HttpStatusCode.NotFound,
            "pickup_code_used");
        clock.Advance(PickupService.FailureWindow);
        await expiry.RunStoreAsync(store, CancellationToken.None);
        Assert.Null(await codes.FindCodeAsync(store, retried.Code, CancellationToken.None)); // forgotten a wrong-code window after closing
    }

    [Fact]
    public async Task An_expiry_that_died_after_claiming_the_code_is_finished_by_the_next_sweep()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        using var scene = await StoreScene.StartAsync(app);
        var (_, world, tea, store, consumer, clerk) = scene;
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        var codes = app.Host.Services.GetRequiredService<StockTable>();
        var row = (await codes.FindCodeAsync(store, code, CancellationToken.None))!;
        row.State = PickupCodeState.Expired;
        Assert.True(await codes.TrySaveCodeAsync(row, CancellationToken.None));

        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.NotFound, "pickup_code_expired");
        var sweep = await app.Host.Services.GetRequiredService<PickupExpiry>().RunStoreAsync(store, CancellationToken.None);

        Assert.Equal(new PickupExpiry.ExpiryResult(0, 0, 1), sweep);
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("Pending", order.GetProperty("refund").GetProperty("status").GetString());
        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        Assert.Equal(PickupCodeState.Closed, (await codes.FindCodeAsync(store, code, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task The_sweep_deletes_the_wrong_code_counts_of_ended_windows_and_keeps_the_current_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var (_, store) = await world.StockedStoreAsync();
        using var clerk = await world.ClerkAsync(store);
        var codes = app.Host.Services.GetRequiredService<StockTable>();
        var expiry = app.Host.Services.GetRequiredService<PickupExpiry>();
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = "999999" })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var counted = clock.GetUtcNow();

        await expiry.RunStoreAsync(store, CancellationToken.None);
        var kept = await codes.FailuresAsync(store, counted, PickupService.FailureWindow, CancellationToken.None);
        clock.Advance(PickupService.FailureWindow);
        await expiry.RunStoreAsync(store, CancellationToken.None);
        var afterWindow = await codes.FailuresAsync(store, counted, PickupService.FailureWindow, CancellationToken.None);

        Assert.Equal(1, kept?.Count);
        Assert.Null(afterWindow);
    }

    private static async Task UseCodeAsync(StockTable codes, string store, string code, DateTimeOffset at)
    {
        var row = (await codes.FindCodeAsync(store, code, CancellationToken.None))!;
        row.State = PickupCodeState.Used;
        row.UsedAt = at;
        Assert.True(await codes.TrySaveCodeAsync(row, CancellationToken.None));
    }
}
