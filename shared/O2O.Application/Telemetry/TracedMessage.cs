using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace O2O.Application.Telemetry;

/// <summary>
/// A queue message's body: the id of the work to do and the trace context of the step that asked
/// for it, {"id":…,"traceparent":…}, since a storage queue message carries nothing but its body.
/// A bare id (a message written before, or by hand) is taken too.
/// </summary>
public static class TracedMessage
{
    private sealed record Body(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("traceparent")] string? TraceParent,
        [property: JsonPropertyName("tracestate")] string? TraceState);

    /// <summary>The body that asks for work on <paramref name="id"/> in the current span's trace.</summary>
    public static string Of(string id)
    {
        var (traceParent, traceState) = O2OTelemetry.CurrentContext();
        return traceParent is null ? id : JsonSerializer.Serialize(new Body(id, traceParent, traceState));
    }

    /// <summary>The id a body asks for work on.</summary>
    public static string IdOf(string body) => Parse(body).Id;

    /// <summary>Starts the span of the work a queue function does for <paramref name="body"/>, in the trace of the step that asked for it.</summary>
    public static Work Receive(string body, string queue)
    {
        var parsed = Parse(body);
        var span = O2OTelemetry.Continue($"process {queue}", ActivityKind.Consumer, parsed.TraceParent, parsed.TraceState);
        span?.SetTag("messaging.system", "azure_storage_queues");
        span?.SetTag("messaging.destination.name", queue);
        return new Work(parsed.Id, span);
    }

    private static Body Parse(string body)
    {
        if (!body.StartsWith('{')) return new Body(body, null, null);
        try
        {
            return JsonSerializer.Deserialize<Body>(body) is { Id: { Length: > 0 } } parsed ? parsed : new Body(body, null, null);
        }
        catch (JsonException)
        {
            return new Body(body, null, null); // not ours: the work finds no such id
        }
    }

    /// <summary>The id to work on, and the span the work runs in until disposed.</summary>
    public sealed class Work(string id, Activity? span) : IDisposable
    {
        public string Id { get; } = id;

        public void Dispose() => span?.Dispose();
    }
}
