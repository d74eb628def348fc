using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace O2O.Application.Telemetry;

/// <summary>
/// The app's own spans and metrics, both named "O2O". A step's trace context (W3C traceparent and
/// tracestate) is kept with what it leaves for later — outbox rows, queue messages — so the work
/// done later, by whichever path, continues the step's trace.
/// </summary>
public static class O2OTelemetry
{
    public const string Name = "O2O";

    /// <summary>The Functions worker's source for its invocation spans; the local host names its own after it.</summary>
    public const string FunctionsWorkerSource = "Microsoft.Azure.Functions.Worker";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>The current span's context as its two W3C header values; nulls outside any span.</summary>
    public static (string? TraceParent, string? TraceState) CurrentContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);

    /// <summary>
    /// Starts a span that continues the step whose context was stored (its parent), linked to the
    /// span that runs it now (a relay sweep, a queue invocation); a plain child when nothing was stored.
    /// </summary>
    public static Activity? Continue(string name, ActivityKind kind, string? traceParent, string? traceState, IEnumerable<ActivityContext>? alsoFrom = null)
    {
        var links = new List<ActivityLink>();
        if (Activity.Current is { } current) links.Add(new ActivityLink(current.Context));
        foreach (var other in alsoFrom ?? []) links.Add(new ActivityLink(other));
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent, links: links)
            : Source.StartActivity(name, kind);
    }
}
