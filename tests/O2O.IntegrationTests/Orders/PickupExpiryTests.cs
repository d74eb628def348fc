using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Orders;
using O2O.Application.Pickup;
using O2O.Domain.Orders;
using O2O.IntegrationTests.Infrastructure;

namespace O2O.IntegrationTests.Orders;

public sealed class PickupExpiryTests
{
    [Fact]
    public async Task An_uncollected_pickup_is_reminded_halfway_then_cancelled_refunded_and_restocked()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await TestApp.StartWithClockAsync(clock);
        try
        {
            var world = new StoreWorld(app);
            var (tea, store) = await world.StockedStoreAsync();
            var openId = "o-" + Guid.NewGuid().ToString("N");
            using var consumer = await app.NewConsumerAsync(openId);
            using var clerk = await world.ClerkAsync(store);
            var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
            await consumer.PayAsync(app, orderId);
            await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
            await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
            var code = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();
            var expiry = app.Host.Services.GetRequiredService<PickupExpiry>();

            var early = await expiry.RunStoreAsync(store, CancellationToken.None);
            clock.Advance(PickupService.HoldTime / 2);
            var halfway = await expiry.RunStoreAsync(store, CancellationToken.None);
            var halfwayAgain = await expiry.RunStoreAsync(store, CancellationToken.None);
            clock.Advance(PickupService.HoldTime / 2);
            var end = await expiry.RunStoreAsync(store, CancellationToken.None);

            Assert.Equal(new PickupExpiry.ExpiryResult(0, 0), early);
            Assert.Equal(new PickupExpiry.ExpiryResult(1, 0), halfway);
            Assert.Equal(new PickupExpiry.ExpiryResult(0, 0), halfwayAgain);
            Assert.Equal(new PickupExpiry.ExpiryResult(0, 1), end);
            using var sameConsumer = await app.NewConsumerAsync(openId); // two days later: the old session has expired
            var order = await (await sameConsumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
            Assert.Equal("Cancelled", order.GetProperty("status").GetString());
            Assert.Equal(order.GetProperty("totalFen").GetInt64(), order.GetProperty("refund").GetProperty("amountFen").GetInt64());
            Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
            await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
            var stored = await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
            Assert.Single(stored!.Outbox, e => e.Type == OrderEventTypes.PickupReminder);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
