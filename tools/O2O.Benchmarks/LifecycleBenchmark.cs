using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace O2O.Benchmarks;

/// <summary>
/// N whole order lifecycles through the local host on Azurite at a chosen concurrency: throughput,
/// latency per step, and what each order costs in storage requests, queue messages, function
/// executions and Event Grid operations, all counted, then priced at list prices; with Azurite's
/// raw write rate measured in the same run as the floor.
/// </summary>
public static class LifecycleBenchmark
{
    /// <summary>The Functions host's default maxPollingInterval: how often it polls an idle queue.</summary>
    private static readonly TimeSpan AzureIdlePolling = TimeSpan.FromMinutes(1);

    private const int Stores = 8;

    /// <summary>Long enough for the every-minute and every-30-s timers; the every-5-minutes ones may fall outside it.</summary>
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(65);

    /// <param name="AfterSalesShare">Of all orders, those that end with an after-sales case of one unit, refund-only and return in turn.</param>
    /// <param name="ScheduledShare">Of all orders, those for a slot or window soon after rather than as soon as possible.</param>
    public sealed record Options(int Orders, int Concurrency, double DeliveryShare, double AfterSalesShare, int CourierStepMs, string OutputDirectory,
        double ScheduledShare = 0.2);

    private const int OnHand = 1_000_000;

    /// <summary>
    /// Order n's after-sales case: <paramref name="share"/> of all orders, spread evenly over pairs of
    /// orders (a pickup and a delivery, <see cref="BenchWorld.Cart"/>), refund-only and return taking turns within each mode.
    /// </summary>
    private static string? AfterSalesOf(int n, double share)
    {
        var pair = n / 2;
        if (Math.Floor((pair + 1) * share) <= Math.Floor(pair * share)) return null;
        return (Math.Floor(pair * share) + n) % 2 == 0 ? "refund" : "return";
    }

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<string> RunAsync(Options options)
    {
        await using var host = await BenchmarkHost.StartAsync(overrides: new Dictionary<string, string?>
        {
            ["Sandbox__CourierStepMs"] = options.CourierStepMs.ToString(C),
        });
        var raw = await AzuriteFloor.MeasureAsync(host.Azurite.ConnectionString, 4000, options.Concurrency);
        var shop = new Shop(host);
        var world = await BenchWorld.SeedAsync(shop, "B", stores: Stores, skus: 4, onHand: OnHand, consumers: options.Concurrency, agents: 3);
        using var events = new OrderEvents(host.Get<O2O.LocalHost.EventGridSandbox>());

        // Warm-up: caches, connections, JIT; then a quiet spell to measure what the app costs doing nothing.
        var warmUp = new Lifecycles(shop, events, new LatencyBook());
        var warmUpOutcomes = new List<LifecycleOutcome>();
        foreach (var n in new[] { 0, 1 })
        {
            var (cart, mode) = world.Cart(n, 0.5);
            warmUpOutcomes.Add(await warmUp.RunAsync(world.Consumers[0], cart, mode, world.Clerks, n == 0 ? "return" : "refund"));
        }
        await Settling.WaitAsync(host, TimeSpan.FromMinutes(2));
        var idleStart = host.Read();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(IdleWindow);
        var idle = host.Read() - idleStart;
        var idleSeconds = idleClock.Elapsed.TotalSeconds;

        var latency = new LatencyBook();
        var lifecycles = new Lifecycles(shop, events, latency);
        var outcomes = new LifecycleOutcome[options.Orders];
        var before = host.Read();
        var counter = host.Get<O2O.Application.Storage.StorageRequestCounter>();
        var retriedBefore = counter.RetriedAnswers;
        var heat = counter.Heat = new O2O.Application.Storage.PartitionHeat(TimeProvider.System);
        await using var probe = new StallProbe(host.Azurite.ConnectionString);
        var started = DateTime.UtcNow;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < options.Orders)
            {
                var (cart, mode) = world.Cart(n, options.DeliveryShare, options.ScheduledShare);
                outcomes[n] = await lifecycles.RunAsync(world.Consumers[worker], cart, mode, world.Clerks, AfterSalesOf(n, options.AfterSalesShare));
            }
        }));
        var elapsed = clock.Elapsed;
        var settled = await Settling.WaitAsync(host, TimeSpan.FromMinutes(2));
        var run = host.Read() - before;
        counter.Heat = null;
        var storageRetries = counter.RetriedAnswers - retriedBefore;
        var stalls = probe.Describe(started);

        Directory.CreateDirectory(options.OutputDirectory);
        var chartSteps = latency.Steps.Where(s => !s.StartsWith("whole",
            StringComparison.Ordinal) && !s.Contains("delivered", StringComparison.Ordinal)).ToList();
        LatencyChart.Save(Path.Combine(options.OutputDirectory, "lifecycle-latency.png"),
            $"{options.Orders} lifecycles, {options.Concurrency} at a time: latency per step", latency, chartSteps);
        // Does Azurite slow as its tables fill? The same measure again, on the Azurite the run has filled.
        var rawAfter = await AzuriteFloor.MeasureAsync(host.Azurite.ConnectionString, 4000, options.Concurrency);
        var audit = await MoneyAndStockAudit.RunAsync(host, world, [.. warmUpOutcomes, .. outcomes], OnHand);
        var commission = await CommissionAudit.RunAsync(host, world, [.. warmUpOutcomes, .. outcomes]);
        var orderCenter = await OrderCenterAudit.RunAsync(host, [.. warmUpOutcomes, .. outcomes]);
        var traces = TraceAudit.Run(host.Get<O2O.LocalHost.EventGridSandbox>(), outcomes, lifecycles.StepTraces);
        var promises = await PromiseAudit.RunAsync(host, outcomes);
        var report = Report(options, raw, rawAfter, latency, outcomes, run, storageRetries, stalls,
            elapsed, settled, idle, idleSeconds) + audit.Markdown() + commission.Markdown() + orderCenter.Markdown() + traces.Markdown() + promises.Markdown()
            + PartitionHeatReport.Markdown(heat, outcomes, (double)run.StorageRequests / options.Orders, elapsed);
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "lifecycle.md"), report);
        return report;
    }

    private static readonly string[] TableOperations = ["table.read", "table.write", "table.batch"];
    private static readonly string[] QueueOperations = ["queue.send", "queue.receive", "queue.update", "queue.delete"];

    /// <summary>Storage requests per order by caller and operation, the biggest callers first.</summary>
    private static string ByCaller(Meters run, int orders)
    {
        var operations = TableOperations.Concat(QueueOperations).ToArray();
        var text = new StringBuilder();
        text.AppendLine("| caller | " + string.Join(" | ", operations) + " | all |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", operations.Length + 1)));
        foreach (var caller in run.StorageByCaller.Where(p => p.Value > 0).GroupBy(p => p.Key.Caller).OrderByDescending(g => g.Sum(p => p.Value)))
        {
            var counts = caller.ToDictionary(p => p.Key.Operation, p => p.Value);
            text.AppendLine(C, $"| {caller.Key} | {string.Join(" | ",
                operations.Select(o => Cell(counts.GetValueOrDefault(o), orders)))} | {Cell(counts.Values.Sum(), orders)} |");
        }
        return text.ToString();
    }

    /// <summary>The lifecycle's steps and the functions that make each one.</summary>
    private static readonly (string Step, string[] Functions)[] Steps =
    [
        ("checkout", ["PlaceOrder"]),
        ("prepay", ["PayOrder"]),
        ("paid (notification, or the app's own query)", ["WeChatPayNotify", "CheckPayment"]),
        ("accept", ["AcceptOrder"]),
        ("ready", ["MarkOrderReady"]),
        ("verify (pickups)", ["VerifyPickup"]),
        ("after-sales (some orders)", ["RequestAfterSales", "ApproveAfterSales", "ReceiveReturnedGoods", "ExecuteRefund"]),
        ("dispatch (deliveries)", ["DispatchCourier"]),
        ("courier updates (deliveries)", ["CourierWebhook"]),
        ("notifications to the consumer", ["NotifyConsumers"]),
        ("shipping information to WeChat", ["UploadShipping", "ReconcileShipping"]),
    ];

    /// <summary>Storage requests per step: per run of the step and per order.</summary>
    private static string PerStep(Meters run, int orders)
    {
        var text = new StringBuilder();
        text.AppendLine("| step | functions | runs per order | requests per run | requests per order |").AppendLine("|---|---|---:|---:|---:|");
        var counted = new HashSet<string>();
        foreach (var (step, functions) in Steps)
        {
            var runs = functions.Sum(f => run.Executions.GetValueOrDefault(f)?.Count ?? 0);
            var requests = run.StorageByCaller.Where(p => functions.Contains(p.Key.Caller)).Sum(p => p.Value);
            counted.UnionWith(functions);
            if (runs == 0) continue;
            text.AppendLine(C, $"| {step} | {string.Join(", ",
                functions)} | {(double)runs / orders:F2} | {(double)requests / runs:F2} | {(double)requests / orders:F2} |");
        }
        var rest = run.StorageByCaller.Where(p => !counted.Contains(p.Key.Caller)).GroupBy(p => p.Key.Caller)
            .Select(g => (Caller: g.Key, Requests: g.Sum(p => p.Value))).Where(r => r.Requests > 0).OrderByDescending(r => r.Requests).ToList();
        text.AppendLine(C, $"| everything else | {string.Join(", ", rest.Select(r => r.Caller))} | | | {(double)rest.Sum(r => r.Requests) / orders:F2} |");
        text.AppendLine(C, $"| **all** | | | | **{(double)run.StorageRequests / orders:F2}** |");
        return text.ToString();
    }

    private static string Cell(long count, int orders) => count == 0 ? "" : ((double)count / orders).ToString("F2", C);

    private static string Report(Options options, AzuriteFloor.RawRate raw, AzuriteFloor.RawRate rawAfter, LatencyBook latency,
        LifecycleOutcome[] outcomes, Meters run, long storageRetries, string stalls, TimeSpan elapsed, bool settled, Meters idle, double idleSeconds)
    {
        var n = options.Orders;
        var text = new StringBuilder();
        text.AppendLine("# Order lifecycle benchmark").AppendLine();
        text.AppendLine(C, $"""
            `dotnet run -c Release --project tools/O2O.Benchmarks -- lifecycle --orders {n} --concurrency {options.Concurrency}`,
            run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (Azurite, the local host and the load generator share them).
            """);
        text.AppendLine();
        text.AppendLine(C, $"""
            {n} orders, {options.Concurrency} at a time, {options.DeliveryShare:P0} of them delivered by the
            courier sandbox (a rider step every {options.CourierStepMs} ms, four steps), the rest picked up
            with the consumer's code. Each goes through the public API: checkout, prepay, the payer confirming
            in the WeChat Pay sandbox until `o2o.order.paid` is published, the clerk's accept and ready, then
            verify or the rider until `o2o.order.delivered`. {options.AfterSalesShare:P0} of the orders then
            have an after-sales case of their one unit, refund-only and return in turn: the buyer asks, the
            clerk approves (and receives a return, back on sale), until `o2o.aftersales.refunded`. Every
            other consumer opened the mini-program through one of three agents' shares, so about half the
            orders earn commission.
            """);
        text.AppendLine();

        text.AppendLine("## Outcomes and throughput").AppendLine();
        foreach (var group in outcomes.GroupBy(o => (o.Mode, o.Result)).OrderBy(g => g.Key.Mode))
            text.AppendLine(C, $"- {group.Key.Mode}: {group.Count()} {group.Key.Result}");
        text.AppendLine(C, $"- client retries (5xx or 503 answered, tried again with the same key): {outcomes.Sum(o => o.Retries)}");
        text.AppendLine(C, $"- storage answers the SDK retried after a back-off (408, 429, 5xx): {storageRetries}");
        text.AppendLine(C, $"- **{n / elapsed.TotalSeconds:F1} whole lifecycles/s** ({elapsed.TotalSeconds:F1} " +
            $"s for {n}); the app settled {(settled ? "afterwards" : "NOT within 2 minutes")}.");
        var requestsPerOrder = (double)run.StorageRequests / n;
        var floor = raw.WritesPerSecondConcurrent / requestsPerOrder;
        var floorAfter = rawAfter.WritesPerSecondConcurrent / requestsPerOrder;
        text.AppendLine(C, $"""
            - Azurite's raw single-entity insert rate in the same run: {raw.WritesPerSecondConcurrent:F0}/s
            with {raw.Writers} writers ({raw.WritesPerSecondSequential:F0}/s one at a time). At
            {requestsPerOrder:F1} storage requests per order that is a floor of {floor:F1} orders/s; the run
            reached **{n / elapsed.TotalSeconds / floor:P0} of it**. Measured again after the run, on the
            Azurite the run had filled: {rawAfter.WritesPerSecondConcurrent:F0}/s, a floor of {floorAfter:F1}
            orders/s, of which the run reached {n / elapsed.TotalSeconds / floorAfter:P0}.
            """);
        text.AppendLine();

        text.AppendLine("## Latency per step (HdrHistogram)").AppendLine();
        text.AppendLine("| step | count | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms |").AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var step in latency.Steps)
            text.AppendLine(C, $"| {step} | {latency.Count(step)} | {latency.PercentileMs(step, 50):F1} | {latency.PercentileMs(step,
                95):F1} | {latency.PercentileMs(step, 99):F1} | {latency.PercentileMs(step, 99.9):F1} | {latency.PercentileMs(step, 100):F1} |");
        text.AppendLine().AppendLine(C, $"Stalls of a second or more seen while the orders ran, by the {stalls}.").AppendLine();
        text.AppendLine("![latency per step](lifecycle-latency.png)").AppendLine();

        text.AppendLine("## What one order costs, counted").AppendLine();
        text.AppendLine("""
            Storage requests are counted by the app's Azure SDK pipeline policy (`StorageRequestCounter`, per
            retry, by operation); executions and their time by the local host's invoker
            (`FunctionExecutions`); Event Grid operations by its sandbox. Everything the app did while the
            orders ran, queue polling and timers included, divided by the orders.
            """);
        text.AppendLine();
        text.AppendLine("| storage operation | per order |").AppendLine("|---|---:|");
        foreach (var (operation, count) in run.StorageByOperation.Where(p => p.Value > 0).OrderBy(p => p.Key))
            text.AppendLine(C, $"| {operation} | {(double)count / n:F2} |");
        text.AppendLine(C, $"| **all storage requests** | **{requestsPerOrder:F2}** |");
        text.AppendLine(C, $"| queue messages sent | {(double)run.StorageByOperation.GetValueOrDefault("queue.send") / n:F2} |");
        text.AppendLine();
        text.AppendLine("""
            Per step of the lifecycle: the requests of the functions that make it, each publishing the
            events of its change itself (sweep queued, change written, events marked published, store
            queue projected, sweep deleted). A consumer's notifications follow the events of several steps.
            """);
        text.AppendLine();
        text.Append(PerStep(run, n)).AppendLine();
        text.AppendLine("""
            The same requests by who made them and of what kind: each function's own, and the host's
            (polling its queues, deleting a message its function finished, moving a failed one back or to
            its poison queue).
            """);
        text.AppendLine();
        text.Append(ByCaller(run, n)).AppendLine();
        text.AppendLine("| function | executions per order | mean ms |").AppendLine("|---|---:|---:|");
        foreach (var (function, totals) in run.Executions.Where(p => p.Value.Count > 0).OrderByDescending(p => p.Value.Count))
            text.AppendLine(C, $"| {function} | {(double)totals.Count / n:F2} | {totals.Duration.TotalMilliseconds / totals.Count:F1} |");
        text.AppendLine(C, $"| **all** | **{(double)run.ExecutionCount / n:F2}** | |");
        text.AppendLine();
        text.AppendLine(C, $"""
            Event Grid: {(double)run.EventsPublished / n:F2} events published and
            {(double)run.EventDeliveries / n:F2} delivery attempts per order. Host busy (one execution or more
            running): {run.HostBusy.TotalMilliseconds / n:F1} ms per order; executions' own time summed:
            {run.ExecutionTime.TotalMilliseconds / n:F1} ms per order.
            """);
        text.AppendLine();

        var cost = OrderCost.PerMillionOrders(run, n);
        text.AppendLine("## Cost per 1 million orders").AppendLine();
        text.AppendLine("| part | USD per 1M orders |").AppendLine("|---|---:|");
        text.AppendLine(C, $"| Functions execution time (host busy × {ListPrices.InstanceMemoryGb} GB) | {cost.ExecutionTime:F2} |");
        text.AppendLine(C, $"| Functions executions | {cost.Executions:F2} |");
        text.AppendLine(C, $"| Table Storage transactions | {cost.Tables:F2} |");
        text.AppendLine(C, $"| Queue Storage operations | {cost.Queues:F2} |");
        text.AppendLine(C, $"| Event Grid operations | {cost.EventGrid:F2} |");
        text.AppendLine(C, $"| **total** | **{cost.Total:F2}** |");
        text.AppendLine();
        text.AppendLine(C, $"""
            Execution time is billed per instance while it runs at least one execution, so it is priced from
            the host's busy time: executions that overlap share it, as they do on a Flex Consumption instance.
            If no two executions ever shared an instance, it would be {cost.ExecutionTimeUnshared:F2} USD (the
            executions' summed time). Durations here include Azurite's latency on a shared 2-core machine, not
            Azure Storage's.
            """);
        text.AppendLine();
        text.AppendLine("Prices used (pay-as-you-go list prices, USD, without the monthly free grants; " +
            "check the Azure pricing pages for your region before relying on them):").AppendLine();
        text.Append(ListPrices.Markdown()).AppendLine();
        // Idle: timers read every store's partitions on their schedules; queue listeners poll. The
        // local host polls an idle queue every 2 s, the Functions host every minute (maxPollingInterval).
        var tablePerSecond = idle.TableRequests / idleSeconds;
        var queuePerSecond = idle.QueueRequests / idleSeconds;
        var executionsPerSecond = idle.ExecutionCount / idleSeconds;
        const double month = 30 * 24 * 3600;
        var azureQueuePerSecond = queuePerSecond * (O2O.LocalHost.HostJson.LocalMaxPollingInterval / AzureIdlePolling);
        var idleMonth = month * (tablePerSecond * (double)ListPrices.TablePerTransaction + azureQueuePerSecond * (double)ListPrices.QueuePerOperation
            + executionsPerSecond * (double)ListPrices.FunctionsPerExecution
            + idle.HostBusy.TotalSeconds / idleSeconds * (double)(ListPrices.InstanceMemoryGb * ListPrices.FunctionsPerGbSecond));
        text.AppendLine(C, $"""
            With no orders the app still runs its timers and polls its queues. Over {idleSeconds:F0} s idle
            here: {tablePerSecond:F2} table requests, {queuePerSecond:F2} queue requests and
            {executionsPerSecond:F3} executions a second (executions:
            {string.Join(", ", idle.Executions.Where(p => p.Value.Count > 0).Select(p => $"{p.Key} ×{p.Value.Count}"))};
            the timers every 5 minutes may fall outside the window). In Azure the queues are polled every
            {AzureIdlePolling.TotalSeconds:F0} s when idle instead of every
            {O2O.LocalHost.HostJson.LocalMaxPollingInterval.TotalSeconds:F0} s, which puts the idle bill at
            about {idleMonth:F2} USD a month for these {Stores} stores; the timers' reads grow with the number
            of stores (one partition query per store per sweep).
            """);
        text.AppendLine();
        text.AppendLine("Not counted: Application Insights ingestion, storage capacity, Key Vault reads at start-up, egress, and the partners' own fees.");
        return text.ToString();
    }
}
