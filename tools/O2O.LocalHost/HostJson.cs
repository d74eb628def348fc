using System.Text.Json;

namespace O2O.LocalHost;

/// <summary>The parts of host.json the local host honours, with the Functions host's defaults.</summary>
public sealed record HostJson(
    string RoutePrefix, int QueueBatchSize, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval)
{
    /// <summary>
    /// Azure's default maximum polling interval is one minute; locally a message should be picked
    /// up within seconds, so the local default is shorter unless host.json sets one.
    /// </summary>
    public static readonly TimeSpan LocalMaxPollingInterval = TimeSpan.FromSeconds(2);

    public static HostJson Defaults { get; } = new("api", 16, 5, TimeSpan.Zero, LocalMaxPollingInterval);

    public static HostJson Load(string? path)
    {
        if (path is null || !File.Exists(path)) return Defaults;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var extensions = document.RootElement.TryGetProperty("extensions", out var e) ? e : default;
        var queues = Child(extensions, "queues");
        var http = Child(extensions, "http");
        return new HostJson(
            String(http, "routePrefix") ?? Defaults.RoutePrefix,
            Int(queues, "batchSize") ?? Defaults.QueueBatchSize,
            Int(queues, "maxDequeueCount") ?? Defaults.MaxDequeueCount,
            Span(queues, "visibilityTimeout") ?? Defaults.VisibilityTimeout,
            Span(queues, "maxPollingInterval") ?? Defaults.MaxPollingInterval);
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? String(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;

    private static TimeSpan? Span(JsonElement element, string name) =>
        String(element, name) is { } text ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}
