using System.Globalization;
using System.Text;
using O2O.Application.Orders;
using O2O.Domain.Orders;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// After a run has settled: each order's promise against what happened. A pickup keeps it when it is
/// ready by its ready-by, a delivery when it is delivered by its delivered-by (the order records the
/// minutes late when kept); every breach event published is measured from the promised moment to the
/// moment the watch saw it.
/// </summary>
public sealed record PromiseAudit(int Promised, int Scheduled, int Kept, int KeptLate, int NotKept, int Cancelled, int AtRiskEvents,
    IReadOnlyList<double> BreachDelaysSeconds, IReadOnlyList<string> Unkept)
{
    public static async Task<PromiseAudit> RunAsync(BenchmarkHost host, IReadOnlyList<LifecycleOutcome> outcomes)
    {
        var orders = host.Get<OrderTable>();
        int promised = 0, scheduled = 0, kept = 0, late = 0, notKept = 0, cancelled = 0;
        var unkept = new List<string>();
        foreach (var orderId in outcomes.Select(o => o.OrderId).OfType<string>())
        {
            var order = (await orders.FindAsync(orderId, CancellationToken.None))?.Order;
            if (order?.Promise is not { } promise) continue;
            promised++;
            if (promise.Slot is not null) scheduled++;
            if (order.Status == OrderStatus.Cancelled && order.Watch.MinutesLate is null) cancelled++;
            else if (order.Watch.MinutesLate is 0) kept++;
            else if (order.Watch.MinutesLate > 0) late++;
            else
            {
                notKept++;
                unkept.Add($"{orderId} ({order.Status}, ready by {promise.ReadyBy:HH:mm:ss})");
            }
        }
        var events = host.Get<EventGridSandbox>().Received;
        var breaches = events.Where(e => e.GetProperty("type").GetString() == OrderEventTypes.PromiseBreached)
            .DistinctBy(e => e.GetProperty("id").GetString())
            .Select(e => e.GetProperty("data"))
            .Select(d => (d.GetProperty("seenAt").GetDateTimeOffset() - d.GetProperty("promisedAt").GetDateTimeOffset()).TotalSeconds)
            .Order().ToList();
        var atRisk = events.Where(e => e.GetProperty("type").GetString() == OrderEventTypes.PromiseAtRisk).DistinctBy(e => e.GetProperty("id").GetString())
            .Count();
        return new PromiseAudit(promised, scheduled, kept, late, notKept, cancelled, atRisk, breaches, unkept);
    }

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var judged = Kept + KeptLate + NotKept;
        var text = new StringBuilder();
        text.AppendLine().AppendLine("## Audit: the buyer's promise").AppendLine();
        text.AppendLine(c, $"""
            {Promised} orders carried a promise, {Scheduled} of them for a slot or window (the ten-minute one after next) and the rest
            for as soon as possible; {Cancelled} were cancelled before it fell due. Of the other {judged}: **{Kept} kept
            ({(judged == 0 ? 0 : 100.0 * Kept / judged):F1} %, goal ≥ 95 %)**, {KeptLate} kept late, {NotKept} not kept when the run ended.
            Alerts published: {AtRiskEvents} at risk, {BreachDelaysSeconds.Count} breached; each breach seen
            {(BreachDelaysSeconds.Count == 0 ? "(none to measure)" : $"p50 {BreachDelaysSeconds[BreachDelaysSeconds.Count / 2]:F0} s, max {BreachDelaysSeconds[^1]:F0} s")}
            after its promised moment (goal ≤ 60 s).
            """);
        foreach (var orderId in Unkept.Take(20)) text.AppendLine(c, $"- not kept: {orderId}");
        return text.AppendLine().ToString();
    }
}
