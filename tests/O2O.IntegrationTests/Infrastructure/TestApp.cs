using System.Net.Http.Headers;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using O2O.Functions.Platform;
using O2O.LocalHost;

namespace O2O.IntegrationTests.Infrastructure;

/// <summary>
/// The app as callers see it: the local host serving the real functions assembly over HTTP on a
/// free port, against one Azurite shared by the whole test run. Tests use unique ids, so they
/// can run in parallel against it.
/// </summary>
public sealed class TestApp
{
    public const string AdminKey = "integration-admin-key-0123456789abcdef";

    private static readonly Lazy<Task<Azurite>> SharedAzurite = new(Azurite.StartAsync);
    private static readonly Lazy<Task<TestApp>> SharedApp = new(() => StartAsync(typeof(GetHealth).Assembly.GetTypes()));

    private TestApp(WebApplication host, Azurite azurite)
    {
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

    public static Task<Azurite> SharedStorage => SharedAzurite.Value;

    /// <summary>A separate host (on the shared Azurite) serving only the given function classes.</summary>
    public static async Task<TestApp> StartAsync(IReadOnlyList<Type> functionTypes)
    {
        var azurite = await SharedAzurite.Value;
        var host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            FunctionTypes = functionTypes,
            Url = "http://127.0.0.1:0",
            Settings = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Auth__AdminApiKey"] = AdminKey,
                ["Logging__LogLevel__Default"] = "Warning",
            },
        });
        await host.StartAsync();
        return new TestApp(host, azurite);
    }

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
}
