using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HdrHistogram;
using O2O.Domain.Orders;

namespace O2O.Benchmarks;

/// <summary>Latency per step, in HdrHistograms (microsecond resolution, three significant digits).</summary>
public sealed class LatencyBook
{
    private static readonly long Highest = TimeSpan.FromMinutes(10).Ticks / 10;

    private readonly Dictionary<string, LongHistogram> _steps = [];

    public IReadOnlyList<string> Steps { get; private set; } = [];

    public void Record(string step, TimeSpan elapsed)
    {
        lock (_steps)
        {
            if (!_steps.TryGetValue(step, out var histogram))
            {
                _steps[step] = histogram = new LongHistogram(Highest, 3);
                Steps = [.. Steps, step];
            }
            histogram.RecordValue(Math.Clamp(elapsed.Ticks / 10, 1, Highest));
        }
    }

    public long Count(string step)
    {
        lock (_steps) return _steps[step].TotalCount;
    }

    public double PercentileMs(string step, double percentile)
    {
        lock (_steps) return _steps[step].GetValueAtPercentile(percentile) / 1000.0;
    }
}

/// <summary>What became of one simulated order, and the after-sales case it had ("refund", "return"), if any.</summary>
public sealed record LifecycleOutcome(string? OrderId, string? StoreId, string Mode, string Result, int Retries, string? AfterSales = null);

/// <summary>
/// One order's whole life through the public API, each step timed: checkout, prepay, the payer
/// confirming (until the app publishes o2o.order.paid), the clerk accepting and marking it ready,
/// then either the clerk verifying the consumer's pickup code or the courier sandbox's rider
/// delivering it (until o2o.order.delivered); for some orders, then an after-sales case of one unit
/// (refund-only, or a return the clerk receives back on sale) until o2o.aftersales.refunded. The
/// fault suite hooks in before the payer confirms and once the order is paid, to send callbacks of its own.
/// </summary>
public sealed class Lifecycles(Shop shop, OrderEvents events, LatencyBook latency,
    Func<string, Task>? beforePayerConfirms = null, Func<string, Task>? afterPaid = null)
{
    /// <summary>For each order, the trace of the client's call that raised each of its events: what the trace audit holds the events to.</summary>
    public ConcurrentDictionary<(string OrderId, string Type), string> StepTraces { get; } = new();

    public static readonly TimeSpan EventTimeout = TimeSpan.FromMinutes(3);

    /// <param name="clerks">Each store's key.</param>
    /// <param name="afterSales">"refund" or "return": the after-sales case the buyer opens once the order is handed over.</param>
    public async Task<LifecycleOutcome> RunAsync(string consumer, object cart, string mode,
        IReadOnlyDictionary<string, string> clerks, string? afterSales = null)
    {
        var whole = Stopwatch.StartNew();
        var retries = 0;
        var placed = await Timed("checkout", () => shop.SendAsync(HttpMethod.Post, "orders", consumer, cart, Guid.NewGuid().ToString()));
        retries += placed.Retries;
        if (placed.Status != HttpStatusCode.Created) return new(null, null, mode, placed.Code ?? placed.Status.ToString(), retries);
        var orderId = placed.Text("orderId");
        var storeId = placed.Text("storeId");
        StepTraces[(orderId, OrderEventTypes.Placed)] = placed.TraceId;
        var clerk = clerks[storeId];

        var prepay = await Timed("prepay", () => shop.SendAsync(HttpMethod.Post, $"orders/{orderId}/pay", consumer));
        retries += prepay.Retries;
        if (!prepay.Ok) return new(orderId, storeId, mode, "prepay " + (prepay.Code ?? prepay.Status.ToString()), retries);

        if (beforePayerConfirms is not null) await beforePayerConfirms(orderId);
        var paid = Stopwatch.StartNew();
        var payer = await shop.PayerCompletesAsync(orderId);
        if (!payer.Ok) return new(orderId, storeId, mode, "payer " + payer.Status, retries);
        if (!await Within(events.WhenAsync(orderId, OrderEventTypes.Paid, EventTimeout))) return new(orderId, storeId, mode, "never paid", retries);
        latency.Record("pay → paid event", paid.Elapsed);
        if (afterPaid is not null) await afterPaid(orderId);

        var accepted = await Timed("accept", () => shop.SendAsync(HttpMethod.Post, $"stores/{storeId}/orders/{orderId}/accept", clerk));
        var ready = await Timed("ready", () => shop.SendAsync(HttpMethod.Post, $"stores/{storeId}/orders/{orderId}/ready", clerk));
        retries += accepted.Retries + ready.Retries;
        if (!accepted.Ok || !ready.Ok) return new(orderId, storeId, mode, $"accept {accepted.Status}, ready {ready.Status}", retries);
        StepTraces[(orderId, OrderEventTypes.Accepted)] = accepted.TraceId;
        if (mode == "pickup") StepTraces[(orderId, OrderEventTypes.ReadyForPickup)] = ready.TraceId;

        string result;
        if (mode == "pickup")
        {
            var view = await Timed("view (the consumer's code)", () => shop.SendAsync(HttpMethod.Get, $"orders/{orderId}", consumer));
            var code = view.Body.GetProperty("pickup").GetProperty("code").GetString();
            var verified = await Timed("verify", () => shop.SendAsync(HttpMethod.Post, $"stores/{storeId}/pickups/verify", clerk, new { code }));
            retries += view.Retries + verified.Retries;
            result = verified.Ok ? OrderStatus.PickedUp.ToString() : "verify " + (verified.Code ?? verified.Status.ToString());
            if (verified.Ok) StepTraces[(orderId, OrderEventTypes.PickedUp)] = verified.TraceId;
        }
        else
        {
            var delivering = Stopwatch.StartNew();
            var end = await Within(events.WhenAnyAsync(orderId, [OrderEventTypes.Delivered, OrderEventTypes.Cancelled], EventTimeout));
            if (end == OrderEventTypes.Delivered) latency.Record("ready → delivered event", delivering.Elapsed);
            result = end switch { OrderEventTypes.Delivered => OrderStatus.Delivered.ToString(), null => "never delivered", _ => "cancelled in delivery" };
        }
        if (result is nameof(OrderStatus.PickedUp) or nameof(OrderStatus.Delivered))
        {
            latency.Record($"whole {mode}", whole.Elapsed);
            if (afterSales is not null)
                result += ", " + await AfterSalesAsync(orderId, storeId, consumer, clerk,
                    placed.Body.GetProperty("items")[0].GetProperty("sku").GetString()!, afterSales);
        }
        return new(orderId, storeId, mode, result, retries, afterSales);
    }

    /// <summary>The buyer asks for one unit back, the clerk approves (and receives a return back on sale), WeChat Pay refunds it.</summary>
    private async Task<string> AfterSalesAsync(string orderId, string storeId, string consumer, string clerk, string sku, string type)
    {
        var asked = await Timed("after-sales request", () => shop.SendAsync(HttpMethod.Post, $"orders/{orderId}/after-sales", consumer,
            new { type, lines = new[] { new { sku, quantity = 1 } }, reason = "benchmark" }, Guid.NewGuid().ToString()));
        if (!asked.Ok) return $"{type} asked: {asked.Code ?? asked.Status.ToString()}";
        var caseId = asked.Text("caseId");
        StepTraces[(orderId, OrderEventTypes.AfterSalesRequested)] = asked.TraceId;
        var refunded = Stopwatch.StartNew();
        var approved = await Timed("after-sales approve",
            () => shop.SendAsync(HttpMethod.Post, $"stores/{storeId}/after-sales/{caseId}/approve", clerk, new { }));
        if (!approved.Ok) return $"{type} approved: {approved.Code ?? approved.Status.ToString()}";
        StepTraces[(orderId, OrderEventTypes.AfterSalesApproved)] = approved.TraceId;
        if (type == "return")
        {
            var received = await Timed("after-sales received",
                () => shop.SendAsync(HttpMethod.Post, $"stores/{storeId}/after-sales/{caseId}/received", clerk, new { restock = true }));
            if (!received.Ok) return $"{type} received: {received.Code ?? received.Status.ToString()}";
        }
        if (!await Within(events.WhenAsync(orderId, OrderEventTypes.AfterSalesRefunded, EventTimeout))) return $"{type} never refunded";
        latency.Record("approve → refunded event", refunded.Elapsed);
        return $"{type} refunded";
    }

    private async Task<ApiAnswer> Timed(string step, Func<Task<ApiAnswer>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await call();
        if (answer.Ok) latency.Record(step, Stopwatch.GetElapsedTime(started));
        return answer;
    }

    private static async Task<bool> Within(Task wait)
    {
        try
        {
            await wait;
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task<string?> Within(Task<string> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
