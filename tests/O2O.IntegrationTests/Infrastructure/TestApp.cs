using System.Net.Http.Headers;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using O2O.Functions.Operations;
using O2O.Testing;

namespace O2O.IntegrationTests.Infrastructure;

/// <summary>
/// The app as callers see it: the local host serving the real functions assembly over HTTP on a
/// free port, against one Azurite shared by the whole test run. Tests use unique ids, so they
/// can run in parallel against it.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string AdminKey = "integration-admin-key-0123456789abcdef";
    public const string WeChatAppId = "wx0000000000tests";
    public const string PushToken = "integration-push-token";

    /// <summary>43 characters of base64, as WeChat's console generates an EncodingAESKey.</summary>
    public const string PushAesKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
    public const string MchId = "1900000109";

    /// <summary>The app registration head office signs in to, in the Entra ID sandbox.</summary>
    public const string HeadOfficeClientId = "o2o-head-office-tests";

    private static readonly Lazy<Task<Azurite>> SharedAzurite = new(Azurite.StartAsync);
    private static readonly Lazy<Task<TestApp>> SharedApp = new(() => StartAsync(typeof(GetHealth).Assembly.GetTypes()));

    private readonly bool _ownsStorage;

    private TestApp(WebApplication host, Azurite azurite, bool ownsStorage)
    {
        _ownsStorage = ownsStorage;
        Host = host;
        Azurite = azurite;
        Http = new HttpClient { BaseAddress = new Uri(host.BaseAddress(), "api/") };
        Admin = new HttpClient { BaseAddress = Http.BaseAddress };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public WebApplication Host { get; }

    public Azurite Azurite { get; }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>A client with the operator's key.</summary>
    public HttpClient Admin { get; }

    public TableServiceClient Tables => Host.Services.GetRequiredService<TableServiceClient>();

    public QueueServiceClient Queues => Host.Services.GetRequiredService<QueueServiceClient>();

    public static Task<TestApp> Shared => SharedApp.Value;

    /// <summary>
    /// The app's HTTP functions only: for a host on a fake clock, whose timers and queue listeners
    /// would otherwise wake whenever a test advances the clock and race the test itself.
    /// </summary>
    public static IReadOnlyList<Type> HttpFunctionTypes { get; } = FunctionIndex.HttpOnly(typeof(GetHealth).Assembly.GetTypes());

    /// <summary>
    /// A host whose clock the test moves; with <paramref name="ownStorage"/> on an Azurite of its own, so
    /// that no other host's queue listeners take its messages. Its retry loop for lost ETag races keeps the real clock:
    /// a backoff that waits for the test to advance time would never end. (The shared host's queue
    /// listeners run on the same storage, so this host's orders do meet concurrent writers.)
    /// </summary>
    public static async Task<TestApp> StartWithClockAsync(TimeProvider clock, bool ownStorage = false) =>
        await StartAsync(HttpFunctionTypes, services => services
            .AddSingleton(clock)
            .AddSingleton(new O2O.Application.Storage.OptimisticConcurrency(TimeProvider.System)),
            storage: ownStorage ? await Azurite.StartAsync() : null);

    /// <summary>Stops a separate host; the shared one lives as long as the test run.</summary>
    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        if (_ownsStorage) await Azurite.DisposeAsync();
    }

    /// <summary>
    /// The whole app, queues and timers included, on an Azurite of its own: for a test that puts
    /// process-wide state (a sandbox's behaviour, a circuit breaker) where parallel tests would meet it.
    /// </summary>
    public static async Task<TestApp> StartIsolatedAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        await StartAsync(typeof(GetHealth).Assembly.GetTypes(), overrides: overrides, storage: await Azurite.StartAsync());

    public static Task<Azurite> SharedStorage => SharedAzurite.Value;

    /// <summary>A separate host (on the shared Azurite) serving only the given function classes.</summary>
    public static async Task<TestApp> StartAsync(
        IReadOnlyList<Type> functionTypes, Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string?>? overrides = null,
        Azurite? storage = null)
    {
        var azurite = storage ?? await SharedAzurite.Value;
        // The WeChat sandbox is served by the host itself, so its port must be known before it starts. Another process may take
        // the port between its choice and the bind (many hosts and Azurites start during a run): then another port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var host = LocalFunctionsHost.Build(new LocalHostOptions
            {
                FunctionTypes = functionTypes,
                Url = $"http://127.0.0.1:{port}",
                Settings = Settings(port, azurite, overrides),
                ConfigureServices = configureServices,
            });
            try
            {
                await host.StartAsync();
                return new TestApp(host, azurite, ownsStorage: storage is not null);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string?> Settings(int port, Azurite azurite, IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataStorage"] = azurite.ConnectionString,
            ["Auth__AdminApiKey"] = AdminKey,
            ["HeadOffice__Authority"] = EntraSandbox.Authority(new Uri($"http://127.0.0.1:{port}/")),
            ["HeadOffice__ClientId"] = HeadOfficeClientId,
            ["Auth__SessionSigningKey"] = "integration-session-signing-key-0123456789",
            ["Auth__StoreKeyPepper"] = "integration-store-key-pepper",
            ["WeChat__AppId"] = WeChatAppId,
            ["WeChat__AppSecret"] = "integration-app-secret",
            ["WeChat__ApiBaseUrl"] = $"http://127.0.0.1:{port}/sandbox/wechat",
            ["WeChat__PushToken"] = PushToken,
            ["WeChat__PushAesKey"] = PushAesKey,
            ["Orders__UnpaidTimeoutMinutes"] = "15",
            ["WeChatPay__MchId"] = MchId,
            ["WeChatPay__BaseUrl"] = $"http://127.0.0.1:{port}/sandbox/wechatpay",
            ["WeChatPay__NotifyUrl"] = $"http://127.0.0.1:{port}/api/payments/wechat/notify",
            // WeChat Pay's notification retry schedule, a thousand times faster.
            ["Sandbox__WeChatPayRetryScale"] = "0.001",
            ["EventGrid__TopicEndpoint"] = $"http://127.0.0.1:{port}/sandbox/eventgrid/api/events",
            ["EventGrid__TopicKey"] = "test-topic-key",
            ["Notifications__WebhookKey"] = "test-notifications-key",
            ["Notifications__TemplateId"] = "test-template",
            // The topic delivers to the app's own notifications webhook, as the Bicep subscription does.
            ["Sandbox__EventGridSubscribers"] = $"http://127.0.0.1:{port}/api/events/notifications?key=test-notifications-key",
            ["Sandbox__EventGridIncludedEventTypes"] = string.Join(',', O2O.Application.Notifications.ConsumerNotifications.EventTypes),
            ["Delivery__CallbackBaseUrl"] = $"http://127.0.0.1:{port}/api/couriers",
            ["Dada__BaseUrl"] = $"http://127.0.0.1:{port}/sandbox/couriers/dada",
            ["Dada__AppKey"] = "test-dada-app-key",
            ["Dada__AppSecret"] = "test-dada-app-secret",
            ["Dada__SourceId"] = "73753",
            ["Meituan__BaseUrl"] = $"http://127.0.0.1:{port}/sandbox/couriers/meituan",
            ["Meituan__AppKey"] = "test-meituan-app-key",
            ["Meituan__Secret"] = "test-meituan-secret",
            ["Sf__BaseUrl"] = $"http://127.0.0.1:{port}/sandbox/couriers/sf",
            ["Sf__DevId"] = "1590000001",
            ["Sf__DevKey"] = "test-sf-dev-key",
            // A rider's every step in 30 ms instead of 2 s.
            ["Sandbox__CourierStepMs"] = "30",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in DevKeys.Generate()) settings[name] = value;
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>()) settings[name] = value;
        return settings;
    }

    /// <summary>A client signed in as a new consumer, through the real login route and the WeChat sandbox.</summary>
    public async Task<HttpClient> NewConsumerAsync(string? openId = null)
    {
        var login = await Http.PostAsJsonAsync("auth/wechat-login", new { code = "dev:" + (openId ?? "o" + Guid.NewGuid().ToString("N")) });
        login.EnsureSuccessStatusCode();
        var session = await login.Content.ReadFromJsonAsync<JsonElement>();
        var client = new HttpClient { BaseAddress = Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return client;
    }

    /// <summary>A client signed in to head office as <paramref name="name"/> with these app roles, by a token of the Entra ID sandbox.</summary>
    public HttpClient Staff(string name, params string[] roles)
    {
        var token = Host.Services.GetRequiredService<EntraSandbox>().Issue(Host.BaseAddress(), HeadOfficeClientId, name, roles);
        var client = new HttpClient { BaseAddress = Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
}
