using System.Diagnostics;
using System.Net;
using System.Text.Json;
using O2O.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace O2O.IntegrationTests.Orders;

/// <summary>
/// A flash sale in miniature (the long one is issue 8's benchmark): many buyers at once for a few
/// units of one SKU at one store. Exactly as many orders as units, none oversold, every other
/// buyer told out_of_stock. A buyer told 503 retries with the same Idempotency-Key, as the
/// mini-program does.
/// </summary>
public sealed class FlashSaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_buyers_for_twenty_units_get_exactly_twenty_paid_orders_and_nothing_is_oversold()
    {
        const int buyers = 200, units = 20;
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync(onHand: units);
        var consumers = await Task.WhenAll(Enumerable.Range(0, buyers).Select(_ => world.App.NewConsumerAsync()));
        var clock = Stopwatch.StartNew();

        var answers = await Task.WhenAll(consumers.Select(consumer => BuyAsync(consumer, Checkout.PickupAt(store, (tea, 1)))));
        var soldOutAfter = clock.Elapsed;
        var winners = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        await Task.WhenAll(winners.Select(w => w.Consumer.PayAsync(world.App, w.OrderId!)));

        output.WriteLine($"{buyers} buyers, {units} units: sold out in {soldOutAfter.TotalMilliseconds:F0} ms; 503 retries: {answers.Sum(a => a.Retries)}");
        Assert.Equal(units, winners.Count);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Equal((HttpStatusCode.Conflict, "out_of_stock"), (a.Status, a.Code)));
        Assert.Equal((units, units, 0), await world.StockAsync(store, tea));
        Assert.Equal(units, winners.Select(w => w.OrderId).Distinct().Count());
        foreach (var consumer in consumers) consumer.Dispose();
    }

    private sealed record Answer(HttpClient Consumer, HttpStatusCode Status, string? Code, string? OrderId, int Retries);

    private static async Task<Answer> BuyAsync(HttpClient consumer, object body)
    {
        var key = Guid.NewGuid().ToString();
        for (var retries = 0; ; retries++)
        {
            using var response = await consumer.PlaceAsync(body, key);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && retries < 20)
            {
                await Task.Delay(Random.Shared.Next(50, 250));
                continue;
            }
            return new Answer(consumer, response.StatusCode,
                json.TryGetProperty("code", out var code) ? code.GetString() : null,
                json.TryGetProperty("orderId", out var id) ? id.GetString() : null, retries);
        }
    }
}
