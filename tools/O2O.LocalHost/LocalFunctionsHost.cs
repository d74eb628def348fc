using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using O2O.Application;
using O2O.Application.Auth;
using O2O.Functions.Http;

namespace O2O.LocalHost;

public sealed record LocalHostOptions
{
    /// <summary>The classes whose [Function] methods are served; normally every type of the functions assembly.</summary>
    public required IReadOnlyList<Type> FunctionTypes { get; init; }

    public string Url { get; init; } = "http://127.0.0.1:7071";

    /// <summary>local.settings.json; its Values are overridden by environment variables, then by <see cref="Settings"/>.</summary>
    public string? SettingsFile { get; init; }

    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public string? HostJsonFile { get; init; } = Path.Combine(AppContext.BaseDirectory, "host.json");

    /// <summary>Lets a test replace a service (a fake clock, say) after the app's own registrations.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>
/// Runs the app's function classes without Azure Functions Core Tools: HTTP triggers on Kestrel,
/// queue triggers by polling Azurite, timer triggers on their schedules, with the same DI setup
/// as Program.cs (<see cref="O2O.Application.ServiceCollectionExtensions.AddO2OBackend"/>); and the partners'
/// sandboxes under /sandbox, which the app reaches only through its base-URL settings.
/// </summary>
public static class LocalFunctionsHost
{
    public static WebApplication Build(LocalHostOptions options)
    {
        var index = FunctionIndex.Discover(options.FunctionTypes);
        if (index.Unsupported.Count > 0)
            throw new InvalidOperationException("The local host cannot serve these functions:\n" + string.Join('\n', index.Unsupported));
        var hostJson = HostJson.Load(options.HostJsonFile);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseUrls(options.Url);
        builder.Configuration
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft"] = "Warning",
                ["Logging:LogLevel:Azure"] = "Warning",
                // As Core Tools does: this is a developer's machine, where the sample secrets may serve.
                [DeployedSecrets.EnvironmentKey] = "Development",
            })
            .AddInMemoryCollection(LocalSettings.Load(options.SettingsFile))
            .AddEnvironmentVariables()
            .AddInMemoryCollection(options.Settings.ToDictionary(p => LocalSettings.ToConfigurationKey(p.Key), p => p.Value));
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true);

        builder.Services.AddRouting();
        builder.Services.AddMvcCore();
        builder.Services.AddO2OBackend(builder.Configuration);
        builder.Services.AddSingleton(index);
        builder.Services.AddSingleton(hostJson);
        builder.Services.AddSingleton(_ => new FunctionExecutions()); // real time, whatever clock the app is given: it measures the host itself
        builder.Services.AddSingleton<FunctionInvoker>();
        builder.Services.AddSingleton<WeChatPaySandbox>();
        builder.Services.AddSingleton<CourierSandbox>();
        builder.Services.AddSingleton<EventGridSandbox>();
        builder.Services.AddSingleton<WeChatMessageSandbox>();
        builder.Services.AddSingleton<WeChatOrderCenterSandbox>();
        builder.Services.AddSingleton<EntraSandbox>();
        foreach (var queue in index.Queue)
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueTriggerListener>(sp,
                queue));
        foreach (var timer in index.Timer)
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerTriggerScheduler>(sp,
                timer));
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                app.Logger.LogError(e, "HTTP function {FunctionName} failed", context.GetEndpoint()?.DisplayName);
                await Problems.WriteUnexpectedAsync(context.Response);
            }
        });
        app.UseRouting();
        HttpTriggerEndpoints.Map(app, index, hostJson, app.Services.GetRequiredService<FunctionInvoker>());
        WeChatSandbox.Map(app, app.Configuration);
        WeChatPaySandbox.Map(app);
        CourierSandbox.Map(app);
        EventGridSandbox.Map(app);
        WeChatMessageSandbox.Map(app);
        WeChatOrderCenterSandbox.Map(app);
        EntraSandbox.Map(app);
        return app;
    }

    /// <summary>The address Kestrel bound, which differs from the configured one when the port is 0.</summary>
    public static Uri BaseAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
