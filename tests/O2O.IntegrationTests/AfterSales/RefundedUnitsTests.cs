using O2O.Application.Pickup;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.AfterSales;

/// <summary>
/// Units refunded before they left the store are never handed over: every view the store, the
/// counter and the courier see shows what is left per line and what was refunded, and the
/// handover takes exactly what is left off the shelf.
/// </summary>
public sealed class RefundedUnitsTests
{
    [Fact]
    public async Task A_unit_refunded_before_the_store_accepted_is_shown_struck_and_not_handed_over_at_the_counter()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, world, tea, store, consumer, clerk) = scene;
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        await consumer.PayAsync(app, orderId);
        var refunded = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        var ready = await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        var code = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();

        var storeRead = await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync();
        var preview = await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code })).ReadOkAsync();
        var verified = await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();

        Assert.Contains(refunded.Stage(), new[] { "Refunding", "Refunded" }); // approved at once: the store had not taken the order on
        foreach (var view in new[] { ready, storeRead, preview, verified })
        {
            var line = Assert.Single(view.GetProperty("items").EnumerateArray());
            Assert.Equal((2, 1, 1),
                (line.GetProperty("quantity").GetInt32(), line.GetProperty("refundedQuantity").GetInt32(), line.GetProperty("handOverQuantity").GetInt32()));
            Assert.Equal(1800, view.GetProperty("handOverFen").GetInt64());
        }
        Assert.Equal("PickedUp", verified.GetProperty("status").GetString());
        Assert.Equal((9, 0, 9), await world.StockAsync(store, tea)); // one unit left the store; the refunded one is back on sale
        // The buyer's and finance's view: every refund of the order, by refund, and their total.
        var mine = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        var refund = Assert.Single(mine.GetProperty("refunds").EnumerateArray());
        Assert.Equal((refunded.Id(), refunded.Id(), 1800L),
            (refund.GetProperty("outRefundNo").GetString(), refund.GetProperty("caseId").GetString(), refund.GetProperty("amountFen").GetInt64()));
        Assert.Equal(1800, mine.GetProperty("refundedFen").GetInt64());
        Assert.False(mine.TryGetProperty("refund", out _)); // the order's own refund: none, it was not cancelled
    }

    [Fact]
    public async Task When_every_unit_left_is_refunded_at_the_counter_the_code_says_there_is_nothing_to_hand_over()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, world, tea, store, consumer, clerk) = scene;
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 2)));
        await (await clerk.AnswerAsync(store, asked.Id(), "approve")).ReadOkAsync();

        var preview = await clerk.PostAsJsonAsync($"stores/{store}/pickups/preview", new { code });
        var verify = await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code });

        await preview.ReadProblemAsync(HttpStatusCode.Conflict, "nothing_to_hand_over");
        await verify.ReadProblemAsync(HttpStatusCode.Conflict, "nothing_to_hand_over");
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal((10, 0, 10), await world.EventuallyStockAsync(store, tea, (10, 0, 10)));
        // A real code of a refunded order is no guess: it does not count towards the lockout.
        var failures = await app.Host.Services.GetRequiredService<StockTable>().FailuresAsync(store,
            DateTimeOffset.UtcNow, PickupService.FailureWindow, CancellationToken.None);
        Assert.Equal(0, failures?.Count ?? 0);
    }

    [Fact]
    public async Task A_courier_is_booked_for_the_units_left_and_the_delivery_consumes_only_those()
    {
        using var scene = await StoreScene.StartAsync(couriers: ["sf"]);
        var (app, world, tea, store, consumer, clerk) = scene;
        var sandbox = app.Host.Services.GetRequiredService<CourierSandbox>();
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(800), (tea, 3)));
        await consumer.PayAsync(app, orderId);
        await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await clerk.AcceptAndReadyAsync(store, orderId);

        CourierSandbox.Booking? booking = null;
        for (var i = 0; i < 300 && booking is null; i++)
        {
            booking = sandbox.Bookings("sf").FirstOrDefault(b => b.DeliveryId.StartsWith(orderId, StringComparison.Ordinal));
            if (booking is null) await Task.Delay(100);
        }

        Assert.NotNull(booking);
        Assert.Equal((2, 3600), (booking.Units, booking.GoodsValueFen));
        Assert.Equal((8, 0, 8), await world.EventuallyStockAsync(store, tea, (8, 0, 8), seconds: 40)); // delivered: two left the store
        var shipped = JsonDocument.Parse((await OrderCenterUploads.EventuallyAsync(app, orderId)).Body).RootElement;
        Assert.Equal("Jasmine milk tea×2", shipped.GetProperty("shipping_list")[0].GetProperty("item_desc").GetString()); // WeChat hears of two too
    }
}
