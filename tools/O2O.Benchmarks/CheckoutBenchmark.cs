using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using O2O.Application.Storage;

namespace O2O.Benchmarks;

/// <summary>
/// Order intake through the local host's HTTP route on Azurite: latency, throughput sequential and
/// concurrent, storage requests per order (counted by the app's own pipeline policy), and in the
/// same run Azurite's raw write rate, the floor the intake is measured against.
/// </summary>
public static class CheckoutBenchmark
{
    private const int Stores = 8;
    private const int Skus = 4;

    /// <summary>Buyers checking out deliveries at once while a platform hangs: each holds a request open up to the quote timeout.</summary>
    private const int QuotingClients = 8;

    public sealed record Options(int Orders, int Concurrency);

    public static async Task<string> RunAsync(Options options)
    {
        // Each client leaves every order it places unpaid: the per-consumer cap would stop it at five.
        await using var host = await BenchmarkHost.StartAsync(httpOnly: true,
            overrides: new Dictionary<string, string?> { ["Orders__MaxUnpaidOrders"] = "1000000" });
        var raw = await AzuriteFloor.MeasureAsync(host.Azurite.ConnectionString, options.Orders * 4, options.Concurrency);
        var shop = new Shop(host);
        var world = await BenchWorld.SeedAsync(shop, "C", Stores, Skus, onHand: 1_000_000, consumers: options.Concurrency);
        var rows = world.Stores.SelectMany(store => world.Skus.Select(sku => (store, sku))).ToArray();
        var counter = host.Get<StorageRequestCounter>();

        await PlaceAsync(shop, world.Consumers[0], rows[0]); // warm caches and connections
        var before = counter.Requests;
        var sequential = await MeasureAsync(shop, options.Orders, 1, world.Consumers, rows);
        var requestsPerIntake = (double)(counter.Requests - before) / options.Orders;
        var concurrent = await MeasureAsync(shop, options.Orders * 4, options.Concurrency, world.Consumers, rows);
        var hotRow = await MeasureAsync(shop, options.Orders, options.Concurrency, world.Consumers, [rows[0]]);
        // Deliveries are quoted by every platform of the store (all three here) before the order is written; SF answers nothing.
        host.Get<O2O.LocalHost.CourierSandbox>().SetBehaviour("sf", O2O.LocalHost.CourierBehaviour.Hang);
        var quotedSequential = await MeasureAsync(shop, options.Orders / 4, 1, world.Consumers, rows, delivery: true);
        var quotedConcurrent = await MeasureAsync(shop, options.Orders, QuotingClients, world.Consumers, rows, delivery: true);
        return Report(options, raw, requestsPerIntake, sequential, concurrent, hotRow, quotedSequential, quotedConcurrent);
    }

    private sealed record Run(int Orders, int Concurrency, TimeSpan Elapsed, double[] LatenciesMs, int Retried, int Refused)
    {
        public double PerSecond => Orders / Elapsed.TotalSeconds;
        public double Percentile(double p) => LatenciesMs.Order().ElementAt(Math.Min(LatenciesMs.Length - 1,
            (int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1));
    }

    /// <summary>Places <paramref name="orders"/> orders from <paramref name="concurrency"/> consumers; consumer i always orders stock row i mod n.</summary>
    private static async Task<Run> MeasureAsync(Shop shop, int orders, int concurrency, IReadOnlyList<string> consumers, (string Store, string Sku)[] rows,
        bool delivery = false)
    {
        var latencies = new double[orders];
        var next = -1;
        var retried = 0;
        var refused = 0;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < orders)
            {
                var started = Stopwatch.GetTimestamp();
                var answer = await PlaceAsync(shop, consumers[worker], rows[worker % rows.Length], delivery);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Interlocked.Add(ref retried, answer.Retries);
                if (answer.Status != HttpStatusCode.Created) Interlocked.Increment(ref refused);
            }
        }));
        return new Run(orders, concurrency, elapsed.Elapsed, latencies, retried, refused);
    }

    private static Task<ApiAnswer> PlaceAsync(Shop shop, string consumer, (string Store, string Sku) row, bool delivery = false) =>
        shop.SendAsync(HttpMethod.Post, "orders", consumer, delivery ? Shop.DeliveryTo((31.231, 121.471), row.Sku) : Shop.PickupAt(row.Store, row.Sku),
            Guid.NewGuid().ToString());

    private static string Report(Options options, AzuriteFloor.RawRate raw, double requestsPerIntake, Run sequential, Run concurrent, Run hotRow,
        Run quotedSequential, Run quotedConcurrent)
    {
        var floor = raw.WritesPerSecondConcurrent / requestsPerIntake;
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Checkout benchmark: POST /api/orders through the local host on Azurite ({Environment.ProcessorCount} cores)");
        text.AppendLine(c, $"  Azurite raw single-entity inserts: {raw.WritesPerSecondConcurrent:F0}/s " +
            $"with {options.Concurrency} writers, {raw.WritesPerSecondSequential:F0}/s sequential");
        text.AppendLine(c, $"  storage requests per intake: {requestsPerIntake:F2} (counted by the app's pipeline policy), " +
            $"in 4 sequential round trips: the unpaid-order count is read alongside the stock (target <= 4 round trips)");
        foreach (var (name, run) in new[] { ("sequential", sequential), ($"{options.Concurrency} clients, {Stores * Skus} stock rows", concurrent),
            ($"{options.Concurrency} clients, 1 hot stock row", hotRow), ("delivery, quoted, SF hanging", quotedSequential),
            ($"{QuotingClients} clients, delivery, SF hanging", quotedConcurrent) })
            text.AppendLine(c, $"  {name,-32} {run.Orders,5} orders  {run.PerSecond,7:F1} orders/s  p50 {run.Percentile(50),6:F1} " +
                $"ms  p95 {run.Percentile(95),6:F1} ms  p99 {run.Percentile(99),6:F1} ms  503s retried {run.Retried}  refused {run.Refused}");
        text.AppendLine(c, $"  a delivery waits for the quotes at most {O2O.Application.Dispatch.CourierQuotes.Timeout.TotalMilliseconds:F0} ms " +
            $"(target: p95 <= 800 ms with a platform hanging)");
        text.AppendLine(c, $"  floor = raw concurrent write rate / requests = {floor:F0} orders/s; " +
            $"concurrent intake reaches {concurrent.PerSecond / floor:P0} of it (target >= 50%)");
        return text.ToString();
    }
}
