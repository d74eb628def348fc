using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Storage;
using O2O.Functions.Platform;
using O2O.LocalHost;
using O2O.Testing;

namespace O2O.Benchmarks;

/// <summary>
/// Order intake through the local host's HTTP route on Azurite: latency, throughput sequential and
/// concurrent, storage round trips per order (counted by the app's own pipeline policy), and in the
/// same run Azurite's raw write rate, the floor the intake is measured against.
/// </summary>
public static class CheckoutBenchmark
{
    private const int Stores = 8;
    private const int SkusPerStore = 4;

    public sealed record Options(int Orders, int Concurrency)
    {
        public static Options Parse(string[] args)
        {
            int Arg(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
            return new Options(Arg("--orders", 400), Arg("--concurrency", 32));
        }
    }

    public static async Task<string> RunAsync(Options options)
    {
        await using var azurite = await Azurite.StartAsync();
        var raw = await AzuriteFloor.MeasureAsync(azurite.ConnectionString, options.Orders * 4, options.Concurrency);

        var host = await StartHostAsync(azurite.ConnectionString);
        try
        {
            var baseAddress = new Uri(host.BaseAddress(), "api/");
            var stock = await SeedAsync(baseAddress);
            var clients = await LoginAsync(baseAddress, options.Concurrency);
            var counter = host.Services.GetRequiredService<StorageRequestCounter>();

            await PlaceAsync(clients[0], stock[0], Guid.NewGuid().ToString()); // warm caches and connections
            var before = counter.Requests;
            var sequential = await MeasureAsync(options.Orders, 1, clients, stock);
            var roundTrips = (double)(counter.Requests - before) / options.Orders;
            var concurrent = await MeasureAsync(options.Orders * 4, options.Concurrency, clients, stock);
            var hotRow = await MeasureAsync(options.Orders, options.Concurrency, clients, [stock[0]]);

            return Report(options, raw, roundTrips, sequential, concurrent, hotRow);
        }
        finally
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }

    private sealed record Run(int Orders, int Concurrency, TimeSpan Elapsed, double[] LatenciesMs, int Refused)
    {
        public double PerSecond => Orders / Elapsed.TotalSeconds;
        public double Percentile(double p) => LatenciesMs.Order().ElementAt(Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1));
    }

    private static async Task<WebApplication> StartHostAsync(string connectionString)
    {
        var port = FreePort();
        var host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            // HTTP functions only, so every storage request counted during a run is the intake's own.
            FunctionTypes = typeof(GetHealth).Assembly.GetTypes().Where(t => FunctionIndex.Discover([t]) is { Count: > 0 } i && i.Http.Count == i.Count).ToList(),
            Url = $"http://127.0.0.1:{port}",
            Settings = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connectionString,
                ["Auth__AdminApiKey"] = "benchmark-admin-key-0123456789",
                ["Auth__SessionSigningKey"] = "benchmark-session-signing-key-0123456789",
                ["WeChat__AppId"] = "wx-benchmark",
                ["WeChat__AppSecret"] = "benchmark-secret",
                ["WeChat__ApiBaseUrl"] = $"http://127.0.0.1:{port}/sandbox/wechat",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        });
        await host.StartAsync();
        return host;
    }

    /// <summary>Eight stores a few hundred metres apart with four SKUs each, stocked for far more orders than the run places.</summary>
    private static async Task<(string Store, string Sku)[]> SeedAsync(Uri baseAddress)
    {
        using var admin = new HttpClient { BaseAddress = baseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "benchmark-admin-key-0123456789");
        var stock = new List<(string, string)>();
        for (var s = 0; s < SkusPerStore; s++)
            (await admin.PutAsJsonAsync($"admin/skus/BENCH-{s}", new { name = $"Bench tea {s}", priceFen = 1800 + s, active = true })).EnsureSuccessStatusCode();
        for (var store = 0; store < Stores; store++)
        {
            var id = $"BENCH-S{store}";
            (await admin.PutAsJsonAsync($"admin/stores/{id}", new { name = id, lat = 31.23 + store * 0.003, lng = 121.47, pickup = true, delivery = true, deliveryRadiusM = 5000, open = true })).EnsureSuccessStatusCode();
            for (var s = 0; s < SkusPerStore; s++)
            {
                (await admin.PutAsJsonAsync($"admin/stores/{id}/stock/BENCH-{s}", new { onHand = 1_000_000 })).EnsureSuccessStatusCode();
                stock.Add((id, $"BENCH-{s}"));
            }
        }
        return stock.ToArray();
    }

    private static async Task<HttpClient[]> LoginAsync(Uri baseAddress, int count)
    {
        var clients = new HttpClient[count];
        for (var i = 0; i < count; i++)
        {
            clients[i] = new HttpClient { BaseAddress = baseAddress };
            var login = await clients[i].PostAsJsonAsync("auth/wechat-login", new { code = $"dev:bench-{i}" });
            var token = (await login.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
            clients[i].DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return clients;
    }

    /// <summary>Places <paramref name="orders"/> orders from <paramref name="concurrency"/> clients; client i always orders stock row i mod n.</summary>
    private static async Task<Run> MeasureAsync(int orders, int concurrency, HttpClient[] clients, (string Store, string Sku)[] stock)
    {
        var latencies = new double[orders];
        var next = -1;
        var refused = 0;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < orders)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await PlaceAsync(clients[worker], stock[worker % stock.Length], Guid.NewGuid().ToString());
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (status != HttpStatusCode.Created) Interlocked.Increment(ref refused);
            }
        }));
        return new Run(orders, concurrency, elapsed.Elapsed, latencies, refused);
    }

    private static async Task<HttpStatusCode> PlaceAsync(HttpClient client, (string Store, string Sku) line, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders")
        {
            Content = JsonContent.Create(new { items = new[] { new { sku = line.Sku, quantity = 1 } }, fulfillment = new { mode = "pickup", storeId = line.Store } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Report(Options options, AzuriteFloor.RawRate raw, double roundTrips, Run sequential, Run concurrent, Run hotRow)
    {
        var floor = raw.WritesPerSecondConcurrent / roundTrips;
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Checkout benchmark: POST /api/orders through the local host on Azurite ({Environment.ProcessorCount} cores)");
        text.AppendLine(c, $"  Azurite raw single-entity inserts: {raw.WritesPerSecondConcurrent:F0}/s with {options.Concurrency} writers, {raw.WritesPerSecondSequential:F0}/s sequential");
        text.AppendLine(c, $"  storage round trips per intake: {roundTrips:F2} (counted by the app's pipeline policy; target <= 4)");
        foreach (var (name, run) in new[] { ("sequential", sequential), ($"{options.Concurrency} clients, {Stores * SkusPerStore} stock rows", concurrent), ($"{options.Concurrency} clients, 1 hot stock row", hotRow) })
            text.AppendLine(c, $"  {name,-32} {run.Orders,5} orders  {run.PerSecond,7:F1} orders/s  p50 {run.Percentile(50),6:F1} ms  p99 {run.Percentile(99),6:F1} ms  refused {run.Refused}");
        text.AppendLine(c, $"  floor = raw concurrent write rate / round trips = {floor:F0} orders/s; concurrent intake reaches {concurrent.PerSecond / floor:P0} of it (target >= 50%)");
        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
