using Microsoft.Extensions.Time.Testing;
using O2O.Application.Dispatch;
using O2O.Application.Dispatch.Couriers;

namespace O2O.IntegrationTests.Dispatch;

/// <summary>
/// Courier quotes at checkout: the store's preferred platform that answers prices the delivery and times the promise; Dada books by its quote.
/// </summary>
public sealed class QuoteTests
{
    private static async Task<(StoreWorld World, string Sku, string Store)> ShopAsync(TestApp app, string[] couriers, int? preparationMinutes = null)
    {
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        return (world, tea, await world.StoreAsync(0, couriers: couriers, preparationMinutes: preparationMinutes, stock: [(tea, 10)]));
    }

    private static async Task<Order> StoredAsync(TestApp app, string orderId) =>
        (await app.Host.Services.GetRequiredService<OrderTable>().FindAsync(orderId, CancellationToken.None))!.Order;

    [Fact]
    public async Task A_delivery_is_quoted_by_every_platform_of_the_store_and_the_preferred_ones_quote_is_kept_and_times_the_promise()
    {
        var app = await TestApp.Shared;
        var (world, tea, store) = await ShopAsync(app, ["sf", "dada"], preparationMinutes: 10);
        using var consumer = await app.NewConsumerAsync();
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();

        var placed = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(800), (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);

        var orderId = placed.GetProperty("orderId").GetString()!;
        var order = await StoredAsync(app, orderId);
        Assert.Equal(("sf", 850L, 35), (order.Quote!.Provider, order.Quote.FeeFen, order.Quote.Minutes!.Value)); // SF prices in fen and promises minutes
        Assert.Equal((1, 1), (sandbox.Quotes("sf", $"{orderId}-1"), sandbox.Quotes("dada", $"{orderId}-1")));
        var promise = placed.GetProperty("promise");
        Assert.Equal(TimeSpan.FromMinutes(35), promise.GetProperty("deliveredBy").GetDateTimeOffset() - promise.GetProperty("readyBy").GetDateTimeOffset());
        Assert.NotEqual(850, placed.GetProperty("deliveryFeeFen").GetInt64()); // the buyer pays the store's tariff; the quote is the brand's cost
        // Head office sees the brand's cost beside the buyer's fee; the buyer and the store do not.
        var byHeadOffice = await (await app.Admin.GetAsync($"admin/orders/{orderId}")).ReadOkAsync();
        Assert.Equal(("sf", 850L, 35), (byHeadOffice.GetProperty("quote").GetProperty("provider").GetString(),
            byHeadOffice.GetProperty("quote").GetProperty("feeFen").GetInt64(), byHeadOffice.GetProperty("quote").GetProperty("minutes").GetInt32()));
        Assert.False(placed.TryGetProperty("quote", out _));
        Assert.False((await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).TryGetProperty("quote", out _));
        using var clerk = await world.ClerkAsync(store);
        Assert.False((await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync()).TryGetProperty("quote", out _));
    }

    [Fact]
    public async Task A_platform_that_hangs_is_left_out_and_the_next_preferred_platform_quotes()
    {
        // Its own sandbox: SF hanging for every store would slow other tests' bookings.
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        var (world, tea, store) = await ShopAsync(app, ["sf", "meituan"]);
        using var consumer = await app.NewConsumerAsync();
        app.Host.Services.GetRequiredService<CourierSandbox>().SetBehaviour("sf", CourierBehaviour.Hang);

        var placed = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(800), (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);

        var order = await StoredAsync(app, placed.GetProperty("orderId").GetString()!);
        Assert.Equal(("meituan", 750L, 60), (order.Quote!.Provider, order.Quote.FeeFen, order.Quote.Minutes!.Value)); // yuan 7.50; its package's hour
        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea)); // the order was placed, not held up
    }

    [Fact]
    public async Task Dada_books_by_the_checkouts_quote_while_it_holds_and_quotes_once_more_when_it_has_expired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var (world, tea, store) = await ShopAsync(app, ["dada"]);
        using var consumer = await app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();
        var dispatcher = app.Host.Services.GetRequiredService<Dispatcher>();

        async Task<string> ReadyAsync(TimeSpan wait)
        {
            var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(800), (tea, 1)));
            await consumer.PayAsync(app, orderId);
            await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
            clock.Advance(wait);
            await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
            return orderId;
        }

        var soon = await ReadyAsync(TimeSpan.FromMinutes(2));
        var soonBooked = await dispatcher.DispatchAsync(soon, CancellationToken.None);
        var late = await ReadyAsync(DadaPlatform.QuoteValidFor + TimeSpan.FromSeconds(1));
        var lateBooked = await dispatcher.DispatchAsync(late, CancellationToken.None);

        Assert.Equal((DispatchOutcome.Booked, DispatchOutcome.Booked), (soonBooked, lateBooked));
        Assert.Equal(1, sandbox.Quotes("dada", $"{soon}-1")); // booked by the checkout's deliveryNo
        Assert.Equal(2, sandbox.Quotes("dada", $"{late}-1")); // its deliveryNo had expired: quoted once more, then booked
        Assert.Equal(2, sandbox.Bookings("dada").Count(b => b.StoreId == store));
    }

    [Fact]
    public async Task A_rerouted_delivery_is_quoted_again_from_its_new_store_and_never_booked_by_the_first_stores_quote()
    {
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true); // the test dispatches itself
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var first = await world.StoreAsync(0, couriers: ["dada"], stock: [(tea, 5)]);
        var next = await world.StoreAsync(1000, couriers: ["dada"], stock: [(tea, 5)]);
        using var consumer = await app.NewConsumerAsync();
        using var firstClerk = await world.ClerkAsync(first);
        using var nextClerk = await world.ClerkAsync(next);
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(300), (tea, 1))); // quoted from the first store, the nearer
        await consumer.PayAsync(app, orderId);

        await (await firstClerk.PostAsJsonAsync($"stores/{first}/orders/{orderId}/reject", new { reason = "no rider bags" })).ReadOkAsync();
        await (await nextClerk.PostAsync($"stores/{next}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await nextClerk.PostAsync($"stores/{next}/orders/{orderId}/ready", null)).ReadOkAsync();
        var booked = await app.Host.Services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None);

        Assert.Equal(DispatchOutcome.Booked, booked);
        Assert.Equal(next, Assert.Single(sandbox.Bookings("dada"), b => b.DeliveryId == $"{orderId}-1").StoreId); // the rider goes to the new store
        Assert.Equal(2, sandbox.Quotes("dada", $"{orderId}-1")); // checkout's, from the first store; then the new store's
    }
}
