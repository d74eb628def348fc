using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace O2O.Application.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// Traces from the app's own spans, the Functions invocations and every outgoing HTTP call (storage,
    /// Event Grid, WeChat, WeChat Pay, couriers), and the app's metrics, to the exporter the settings name.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<TelemetrySettings>(configuration);
        var settings = configuration.ReadSettings<TelemetrySettings>();
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(O2OTelemetry.Name, O2OTelemetry.FunctionsWorkerSource, "System.Net.Http"))
            .WithMetrics(metrics => metrics.AddMeter(O2OTelemetry.Name));
        switch (settings.Exporter.ToLowerInvariant())
        {
            case "azuremonitor":
                telemetry.UseAzureMonitorExporter(options => options.Credential = string.IsNullOrEmpty(settings.ClientId)
                    ? new DefaultAzureCredential()
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.ClientId)));
                break;
            case "otlp":
                telemetry.UseOtlpExporter();
                break;
            case "console":
                telemetry.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
                break;
            case "":
                break;
            default:
                throw new InvalidOperationException($"Telemetry__Exporter is '{settings.Exporter}': set AzureMonitor, Otlp, Console or nothing.");
        }
        return services;
    }
}
