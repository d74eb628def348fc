using System.Globalization;
using System.Text;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.Orders;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// After a run has settled: every fulfilled order against what WeChat's order center (the sandbox)
/// holds. Each order the app counts as fulfilled (<see cref="ShippingInfo.Of"/>) must be uploaded
/// once, with the body every retry repeats; the time from the fulfilling step to WeChat taking
/// the upload is measured, reconciler included.
/// </summary>
public sealed record OrderCenterAudit(int Fulfilled, int Uploaded, int Recorded, int ExtraCalls, IReadOnlyList<string> ChangedBodies,
    IReadOnlyList<double> SecondsToUpload, IReadOnlyList<string> Missing)
{
    public static async Task<OrderCenterAudit> RunAsync(BenchmarkHost host, IReadOnlyList<LifecycleOutcome> outcomes)
    {
        var orders = host.Get<OrderTable>();
        var sandbox = host.Get<WeChatOrderCenterSandbox>();
        var due = host.Get<Azure.Data.Tables.TableServiceClient>().GetTableClient(StorageNames.ShippingDueTable);
        int fulfilled = 0, uploaded = 0, recorded = 0, extraCalls = 0;
        var seconds = new List<double>();
        var missing = new List<string>();
        foreach (var orderId in outcomes.Select(o => o.OrderId).OfType<string>())
        {
            var order = (await orders.FindAsync(orderId, CancellationToken.None))?.Order;
            if (order is null || ShippingInfo.Of(order) is not { } info) continue;
            fulfilled++;
            if (order.OrderCenter?.UploadedAt is not null) recorded++;
            if (!sandbox.Shipped.TryGetValue(orderId, out var upload))
            {
                var row = await due.QueryAsync<DueOrderTable.DueEntity>(r => r.RowKey == orderId).FirstOrDefaultAsync(); // a scan: fine for a report
                missing.Add($"{orderId} ({order.Status}; {(row is null ? "not listed" : $"listed, due {row.DueAt:HH:mm:ss}")}; " +
                    $"{sandbox.CallsFor(orderId)} calls reached WeChat)");
                continue;
            }
            uploaded++;
            extraCalls += sandbox.CallsFor(orderId) - 1;
            seconds.Add((upload.At - info.FulfilledAt).TotalSeconds);
        }
        return new OrderCenterAudit(fulfilled, uploaded, recorded, extraCalls, [.. sandbox.ChangedBodies], [.. seconds.Order()], missing);
    }

    public double Percentile(double p) =>
        SecondsToUpload.Count == 0 ? 0 : SecondsToUpload[(int)Math.Min(SecondsToUpload.Count - 1, Math.Ceiling(p / 100 * SecondsToUpload.Count) - 1)];

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine().AppendLine("## Audit: WeChat's order center").AppendLine();
        text.AppendLine(c, $"""
            {Fulfilled} orders were fulfilled (handed over at the counter, or taken by a rider): **{Uploaded} uploaded**
            ({(Fulfilled == 0 ? 0 : 100.0 * Uploaded / Fulfilled):F1} %, goal 100 %), {Recorded} of them recorded on the order;
            from the fulfilling step to WeChat taking it p50 {Percentile(50):F1} s, p99 {Percentile(99):F1} s, max {Percentile(100):F1} s
            (goal p99 ≤ 300 s, the reconciler included). Uploads WeChat holds twice: 0 by construction (it keeps the first and answers
            "already shipped"); calls beyond the first: {ExtraCalls}; **{ChangedBodies.Count} orders uploaded again with a different body**.
            """);
        foreach (var orderId in Missing.Take(20)) text.AppendLine(c, $"- not uploaded: {orderId}");
        return text.ToString();
    }
}
