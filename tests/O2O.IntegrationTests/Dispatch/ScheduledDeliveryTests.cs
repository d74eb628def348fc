using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Dispatch;

namespace O2O.IntegrationTests.Dispatch;

/// <summary>A delivery for a later window: accepted at once, its rider asked for only the courier's lead before the goods must be ready.</summary>
public sealed class ScheduledDeliveryTests
{
    [Fact]
    public async Task A_delivery_for_a_window_is_booked_the_courier_lead_before_it_must_be_ready_not_at_accept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Its own storage, HTTP functions only: the test drives dispatch and the watchdog itself.
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, couriers: ["sf"], preparationMinutes: 10,
            slots: new { delivery = new { lengthMinutes = 60, leadMinutes = 0, daysAhead = 1, capacity = 5 } }, stock: [(tea, 10)]);
        using var consumer = await app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (lat, lng) = world.At(800);
        var windows = await (await app.Http.GetAsync($"slots?mode=delivery&lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}")).ReadOkAsync();
        var window = windows.GetProperty("slots")[4].GetProperty("start").GetString()!;
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(800), (tea, 1)).ForSlot(window));
        await consumer.PayAsync(app, orderId);
        var services = app.Host.Services;
        var sandbox = services.GetRequiredService<CourierSandbox>();
        var watchdog = services.GetRequiredService<DispatchWatchdog>();

        var accepted = await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        var visible = (await app.Queues.GetQueueClient(O2O.Application.Storage.StorageNames.CourierDispatchQueue).PeekMessagesAsync(32)).Value;
        var atAccept = await services.GetRequiredService<Dispatcher>().DispatchAsync(orderId, CancellationToken.None);
        var readyBy = accepted.GetProperty("promise").GetProperty("readyBy").GetDateTimeOffset();
        clock.SetUtcNow(readyBy - OrderPromise.CourierLead - TimeSpan.FromMinutes(1));
        var early = await watchdog.RunStoreAsync(store, CancellationToken.None);
        var bookedEarly = sandbox.Bookings("sf").Count(b => b.StoreId == store);
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = await watchdog.RunStoreAsync(store, CancellationToken.None);

        Assert.Equal("Dispatching", accepted.GetProperty("status").GetString());
        Assert.Empty(visible); // the request waits hidden in the queue until the courier's time
        Assert.Equal((DispatchOutcome.NotYet, 0, 0, 1), (atAccept, early, bookedEarly, due));
        Assert.Single(sandbox.Bookings("sf"), b => b.StoreId == store);
        var order = await (await clerk.GetAsync($"stores/{store}/orders/{orderId}")).ReadOkAsync(); // the buyer's session has expired by now
        Assert.Equal(DateTimeOffset.Parse(window, CultureInfo.InvariantCulture).AddHours(1),
            order.GetProperty("promise").GetProperty("deliveredBy").GetDateTimeOffset());
        var stored = await services.GetRequiredService<OrderTable>().FindAsync(orderId, CancellationToken.None);
        Assert.Equal(readyBy, stored!.Order.Delivery!.ReadyBy); // the rider is wanted when the window needs it, not ten minutes after accept
    }
}
