using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Operations;
using O2O.Application.Storage;
using O2O.Functions.Operations;
using O2O.LocalHost;
using O2O.Testing;

namespace O2O.Benchmarks;

/// <summary>
/// The whole app (HTTP, queue and timer functions, partner sandboxes) in the local host on an
/// Azurite of its own, configured exactly as local.settings.sample.json configures a developer's
/// machine, only on a free port; with what the run is measured by: the storage pipeline's
/// request counter, the host's execution counter and the Event Grid sandbox's tallies.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public const string AdminKey = "local-admin-key-change-me-0123456789";

    private BenchmarkHost(Azurite azurite, WebApplication app)
    {
        Azurite = azurite;
        App = app;
        Api = new Uri(app.BaseAddress(), "api/");
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(100) };
        Admin = new HttpClient { BaseAddress = Api };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public Azurite Azurite { get; }

    public WebApplication App { get; }

    public Uri Api { get; }

    /// <summary>One connection pool for every simulated consumer and clerk; each request carries its own credentials.</summary>
    public HttpClient Http { get; }

    public HttpClient Admin { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="onDisk">Azurite persists to a directory, so the fault suite can stop and restart it.</param>
    /// <param name="overrides">Settings on top of the sample's, as NAME__SUB.</param>
    /// <param name="httpOnly">No queue listeners or timers, so every storage request counted is a request's own.</param>
    public static async Task<BenchmarkHost> StartAsync(bool onDisk = false, IReadOnlyDictionary<string, string?>? overrides = null, bool httpOnly = false)
    {
        var azurite = onDisk ? await Azurite.StartOnDiskAsync() : await Azurite.StartAsync();
        var port = FreePort();
        var settings = SampleSettings(port);
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings["DataStorage"] = azurite.ConnectionString;
        foreach (var (name, value) in DevKeys.Generate()) settings[name] = value;
        settings["Logging__LogLevel__Default"] = "Error"; // faults are the point of some runs: their warnings would drown the report
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>()) settings[name] = value;

        var app = LocalFunctionsHost.Build(new LocalHostOptions
        {
            FunctionTypes = httpOnly ? FunctionIndex.HttpOnly(typeof(GetHealth).Assembly.GetTypes()) : typeof(GetHealth).Assembly.GetTypes(),
            Url = $"http://127.0.0.1:{port}",
            Settings = settings,
            HostJsonFile = Path.Combine(RepoRoot(), "functions", "host.json"),
        });
        await app.StartAsync();
        return new BenchmarkHost(azurite, app);
    }

    /// <summary>What the run has cost so far.</summary>
    public Meters Read()
    {
        var storage = Get<StorageRequestCounter>();
        var executions = Get<FunctionExecutions>();
        var eventGrid = Get<EventGridSandbox>();
        return new Meters(storage.ByOperation, storage.ByCaller, executions.ByFunction, executions.Busy, eventGrid.Received.Count, eventGrid.DeliveryAttempts);
    }

    /// <summary>
    /// The consistency checker with its clock moved past its settle time, so that orders this young
    /// are judged too: for use once the run has settled, when nothing is mid-flight any more.
    /// </summary>
    public ConsistencyChecker SettledChecker() =>
        ActivatorUtilities.CreateInstance<ConsistencyChecker>(App.Services, (TimeProvider)new SettledClock());

    private sealed class SettledClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + ConsistencyChecker.SettleTime;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Http.Dispose();
        Admin.Dispose();
        await Azurite.DisposeAsync();
    }

    /// <summary>The sample's values, with the developer's port 7071 replaced by this host's.</summary>
    private static Dictionary<string, string?> SampleSettings(int port)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => (string?)p.Value.GetString()!.Replace("127.0.0.1:7071", $"127.0.0.1:{port}", StringComparison.Ordinal));
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository: Serverless.sln was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Counters at one moment; subtract two to get a run's share.</summary>
public sealed record Meters(
    IReadOnlyDictionary<string, long> StorageByOperation,
    IReadOnlyDictionary<(string Caller, string Operation), long> StorageByCaller,
    IReadOnlyDictionary<string, FunctionExecutions.Totals> Executions,
    TimeSpan HostBusy,
    int EventsPublished,
    int EventDeliveries)
{
    public long StorageRequests => StorageByOperation.Values.Sum();

    public long TableRequests => StorageByOperation.Where(p => p.Key.StartsWith("table.", StringComparison.Ordinal)).Sum(p => p.Value);

    public long QueueRequests => StorageByOperation.Where(p => p.Key.StartsWith("queue.", StringComparison.Ordinal)).Sum(p => p.Value);

    public long ExecutionCount => Executions.Values.Sum(t => t.Count);

    public TimeSpan ExecutionTime => TimeSpan.FromTicks(Executions.Values.Sum(t => t.Duration.Ticks));

    public static Meters operator -(Meters after, Meters before) => new(
        after.StorageByOperation.ToDictionary(p => p.Key, p => p.Value - before.StorageByOperation.GetValueOrDefault(p.Key)),
        after.StorageByCaller.ToDictionary(p => p.Key, p => p.Value - before.StorageByCaller.GetValueOrDefault(p.Key)),
        after.Executions.ToDictionary(p => p.Key, p => before.Executions.TryGetValue(p.Key, out var b)
            ? new FunctionExecutions.Totals(p.Value.Count - b.Count, p.Value.Duration - b.Duration)
            : p.Value),
        after.HostBusy - before.HostBusy,
        after.EventsPublished - before.EventsPublished,
        after.EventDeliveries - before.EventDeliveries);
}
