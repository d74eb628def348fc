using Microsoft.Extensions.Time.Testing;

namespace O2O.IntegrationTests.Orders;

public sealed class CancelTests
{
    [Fact]
    public async Task The_consumer_cancels_an_unpaid_order_and_its_stock_returns()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        using var stranger = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 3)));

        await (await stranger.PostAsync($"orders/{orderId}/cancel", null)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var cancelled = await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();
        var again = await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(["PendingPayment", "Cancelled"], cancelled.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        Assert.Equal("consumer", cancelled.GetProperty("timeline")[1].GetProperty("by").GetString());
        Assert.Equal(cancelled.GetProperty("timeline").GetArrayLength(), again.GetProperty("timeline").GetArrayLength());
        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        var listed = await (await consumer.GetAsync("orders")).ReadOkAsync();
        Assert.Equal("Cancelled", listed.GetProperty("items")[0].GetProperty("status").GetString());
        await (await consumer.PostAsync("orders/not-an-order/cancel", null)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_order_not_paid_by_its_deadline_is_cancelled_by_the_sweeper_and_its_stock_returns()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        var sweeper = app.Host.Services.GetRequiredService<ReservationSweeper>();

        clock.Advance(ReservationSweeper.OrphanAge + TimeSpan.FromSeconds(1));
        var confirmed = await sweeper.SweepStoreAsync(store, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10));
        var early = await sweeper.SweepStoreAsync(store, CancellationToken.None);
        var stillOpen = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        clock.Advance(TimeSpan.FromMinutes(3));
        var due = await sweeper.SweepStoreAsync(store, CancellationToken.None);

        Assert.Equal(1, confirmed.Confirmed);
        Assert.Equal(0, early.Cancelled);
        Assert.Equal("PendingPayment", stillOpen.GetProperty("status").GetString());
        Assert.Equal(1, due.Cancelled);
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("system", order.GetProperty("timeline")[1].GetProperty("by").GetString());
        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        Assert.Equal(new ReservationSweeper.SweepResult(0, 0, 0, 0), await sweeper.SweepStoreAsync(store, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancellation_whose_release_was_lost_is_released_by_the_sweeper()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var services = app.Host.Services;
        var consumerKey = OrderIds.ConsumerKey("o-" + Guid.NewGuid().ToString("N"));
        var placed = await services.GetRequiredService<CheckoutService>().PlaceAsync(
            consumerKey, "k1", new CartInput([new LineInput(tea, 4)],
                new FulfillmentInput("pickup", store, null, null, null), null, null), CancellationToken.None);
        var sweeper = services.GetRequiredService<ReservationSweeper>();
        clock.Advance(ReservationSweeper.OrphanAge + TimeSpan.FromSeconds(1));
        await sweeper.SweepStoreAsync(store, CancellationToken.None);
        // The crash: the order's cancellation was saved, its stock release never ran.
        var orders = services.GetRequiredService<OrderTable>();
        var stored = await orders.GetAsync(consumerKey, placed.Value!.Order.OrderId, CancellationToken.None);
        stored!.Order.Cancel(clock.GetUtcNow(), "consumer", "crash test");
        await orders.SaveAsync(stored, CancellationToken.None);
        Assert.Equal((10, 4, 6), await world.StockAsync(store, tea));

        clock.Advance(TimeSpan.FromMinutes(16));
        var swept = await sweeper.SweepStoreAsync(store, CancellationToken.None);

        Assert.Equal(1, swept.Released);
        Assert.Equal(0, swept.Cancelled);
        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
    }
}
