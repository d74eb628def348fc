namespace O2O.Application.Telemetry;

/// <summary>Where the app's traces and metrics go.</summary>
public sealed class TelemetrySettings : ISettingsSection
{
    public static string SectionName => "Telemetry";

    /// <summary>
    /// "AzureMonitor" (Application Insights, with the app's identity: what the Bicep sets), "Otlp"
    /// (to OTEL_EXPORTER_OTLP_ENDPOINT, a local collector or Jaeger), "Console", or empty: spans and
    /// their context are still made and carried, and nothing is sent.
    /// </summary>
    public string Exporter { get; set; } = "";

    /// <summary>The client id of the user-assigned identity that signs in to Application Insights (its local auth is off); empty locally.</summary>
    public string ClientId { get; set; } = "";
}
