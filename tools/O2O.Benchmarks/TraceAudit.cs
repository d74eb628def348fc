using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// After a run has settled: every event of every order carries a traceparent, and each event a
/// client's call raised (placed, accepted, ready, picked up, after-sales asked and approved)
/// carries that call's trace, whichever path published it. An order is covered when all of its do.
/// </summary>
public sealed record TraceAudit(int Orders, int Covered, int Events, int Traced, int StepEvents, int StepEventsInTheirTrace, IReadOnlyList<string> Misses)
{
    public static TraceAudit Run(EventGridSandbox topic, IReadOnlyList<LifecycleOutcome> outcomes,
        IReadOnlyDictionary<(string OrderId, string Type), string> stepTraces)
    {
        var byOrder = topic.Received
            .Where(e => e.TryGetProperty("subject", out var s) && s.GetString()!.StartsWith("orders/", StringComparison.Ordinal))
            .GroupBy(e => e.GetProperty("id").GetString()!).Select(g => g.First()) // an event published twice is one event
            .ToLookup(e => e.GetProperty("subject").GetString()!["orders/".Length..]);
        var steps = stepTraces.ToLookup(p => p.Key.OrderId);
        int orders = 0, covered = 0, events = 0, traced = 0, stepEvents = 0, inTheirTrace = 0;
        var misses = new List<string>();
        foreach (var orderId in outcomes.Select(o => o.OrderId).OfType<string>())
        {
            orders++;
            var published = byOrder[orderId].ToList();
            var untraced = published.Where(e => TraceOf(e) is null).Select(e => e.GetProperty("type").GetString()!).ToList();
            var wrong = new List<string>();
            foreach (var ((_, type), expected) in steps[orderId])
            {
                stepEvents++;
                var evt = published.FirstOrDefault(e => e.GetProperty("type").GetString() == type);
                if (evt.ValueKind == JsonValueKind.Object && TraceOf(evt) == expected) inTheirTrace++;
                else wrong.Add(type);
            }
            events += published.Count;
            traced += published.Count - untraced.Count;
            if (untraced.Count == 0 && wrong.Count == 0) covered++;
            else if (misses.Count < 10)
                misses.Add($"{orderId}: untraced [{string.Join(", ", untraced)}], not in their step's trace [{string.Join(", ", wrong)}]");
        }
        return new TraceAudit(orders, covered, events, traced, stepEvents, inTheirTrace, misses);
    }

    private static string? TraceOf(JsonElement evt) =>
        evt.TryGetProperty("traceparent", out var header) && ActivityContext.TryParse(header.GetString(), null, out var context)
            ? context.TraceId.ToHexString()
            : null;

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine().AppendLine("## Trace coverage").AppendLine();
        text.AppendLine(c, $"""
            Every call the run makes sends its own W3C `traceparent`, as a traced client would. After the run,
            each order's CloudEvents on the topic are checked: each must carry a `traceparent`, and each event a
            client's call raised (placed, accepted, ready, picked up, after-sales asked and approved) must carry
            that call's trace, whichever path published it (the request itself, the relay, a sweep).

            - **{(double)Covered / Orders:P1} of orders covered** ({Covered} of {Orders}; the goal is 99 %)
            - events with a traceparent: {Traced} of {Events}
            - events of a client's call in that call's trace: {StepEventsInTheirTrace} of {StepEvents}
            """);
        foreach (var miss in Misses) text.AppendLine(c, $"- not covered: {miss}");
        text.AppendLine();
        return text.ToString();
    }
}
