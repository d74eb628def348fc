using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using O2O.Application.Operations;
using O2O.Domain.Orders;

namespace O2O.Benchmarks;

/// <summary>
/// A flash sale: every buyer checks out the same SKU at the same store at the same moment and the
/// winners pay at once. Exactly as many paid orders as units, none oversold, every loser told
/// out_of_stock, the store's books consistent afterwards; and how long it took to sell out.
/// </summary>
public static class FlashSaleBenchmark
{
    public sealed record Options(int Buyers, int Units);

    public sealed record Result(
        int Buyers, int Units, int Created, int Paid, int OutOfStock, IReadOnlyDictionary<string, int> OtherAnswers, int Retries, IReadOnlyList<string> Unpaid,
        TimeSpan SoldOut, TimeSpan AllAnswered, TimeSpan AllPaid, (int OnHand, int Reserved) Stock, IReadOnlyList<Finding> Findings)
    {
        /// <summary>The sale's promises, each false one named.</summary>
        public IReadOnlyList<string> Broken()
        {
            var broken = new List<string>();
            if (Created != Units) broken.Add($"{Created} orders created for {Units} units");
            if (Paid != Units) broken.Add($"{Paid} orders paid for {Units} units ({string.Join("; ", Unpaid)})");
            if (OutOfStock != Buyers - Units) broken.Add($"{OutOfStock} buyers told out_of_stock, expected {Buyers - Units}");
            if (OtherAnswers.Count > 0) broken.Add("other answers: " + string.Join(", ", OtherAnswers.Select(p => $"{p.Key} ×{p.Value}")));
            if (Stock != (Units, Units)) broken.Add($"stock row onHand {Stock.OnHand}, reserved {Stock.Reserved}; expected {Units} and {Units}");
            broken.AddRange(Findings.Select(f => $"consistency: {f.Kind} {f.Subject} {f.Detail}"));
            return broken;
        }
    }

    public static async Task<Result> RunAsync(Options options)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var shop = new Shop(host);
        var prefix = "F" + Guid.NewGuid().ToString("N")[..6];
        var world = await BenchWorld.SeedAsync(shop, prefix, stores: 1, skus: 1, onHand: options.Units, consumers: 0);
        var buyers = new List<string>();
        foreach (var chunk in Enumerable.Range(0, options.Buyers).Chunk(32))
            buyers.AddRange(await Task.WhenAll(chunk.Select(i => shop.LoginAsync($"{prefix}-buyer-{i.ToString(CultureInfo.InvariantCulture)}"))));
        using var events = new OrderEvents(host.Get<O2O.LocalHost.EventGridSandbox>());
        var store = world.Stores[0];
        var sku = world.Skus[0];

        var clock = Stopwatch.StartNew();
        var soldOutTicks = 0L;
        var created = 0;
        var lastAnswerTicks = 0L;
        var answers = await Task.WhenAll(buyers.Select(async buyer =>
        {
            var answer = await shop.SendAsync(HttpMethod.Post, "orders", buyer, Shop.PickupAt(store, sku), Guid.NewGuid().ToString());
            var answeredAt = clock.Elapsed.Ticks;
            for (var seen = Interlocked.Read(ref lastAnswerTicks); answeredAt > seen; seen = Interlocked.Read(ref lastAnswerTicks))
                if (Interlocked.CompareExchange(ref lastAnswerTicks, answeredAt, seen) == seen) break;
            if (answer.Status != HttpStatusCode.Created) return (answer, Paid: false, Unpaid: (string?)null);
            if (Interlocked.Increment(ref created) == options.Units) Interlocked.Exchange(ref soldOutTicks, clock.Elapsed.Ticks);
            var orderId = answer.Text("orderId");
            var prepay = await shop.SendAsync(HttpMethod.Post, $"orders/{orderId}/pay", buyer);
            if (!prepay.Ok) return (answer, Paid: false, Unpaid: $"{orderId}: prepay {(int)prepay.Status} {prepay.Code}");
            var payer = await shop.PayerCompletesAsync(orderId);
            if (!payer.Ok) return (answer, Paid: false, Unpaid: $"{orderId}: payer {(int)payer.Status}");
            try
            {
                await events.WhenAsync(orderId, OrderEventTypes.Paid, Lifecycles.EventTimeout);
                return (answer, Paid: true, Unpaid: null);
            }
            catch (TimeoutException)
            {
                return (answer, Paid: false, Unpaid: $"{orderId}: no o2o.order.paid within {Lifecycles.EventTimeout.TotalMinutes} min");
            }
        }));
        var allPaid = clock.Elapsed;
        await Settling.WaitAsync(host, TimeSpan.FromMinutes(2));

        var row = await shop.SendAsync(HttpMethod.Get, $"admin/stores/{store}/stock/{sku}", BenchmarkHost.AdminKey);
        return new Result(
            options.Buyers, options.Units,
            Created: answers.Count(a => a.answer.Status == HttpStatusCode.Created),
            Paid: answers.Count(a => a.Paid),
            OutOfStock: answers.Count(a => a.answer.Status == HttpStatusCode.Conflict && a.answer.Code == "out_of_stock"),
            OtherAnswers: answers.Where(a => a.answer.Status != HttpStatusCode.Created && a.answer.Code != "out_of_stock")
                .GroupBy(a => $"{(int)a.answer.Status} {a.answer.Code}").ToDictionary(g => g.Key, g => g.Count()),
            Retries: answers.Sum(a => a.answer.Retries),
            Unpaid: [.. answers.Select(a => a.Unpaid).OfType<string>()],
            SoldOut: TimeSpan.FromTicks(Interlocked.Read(ref soldOutTicks)),
            AllAnswered: TimeSpan.FromTicks(Interlocked.Read(ref lastAnswerTicks)),
            AllPaid: allPaid,
            Stock: (row.Body.GetProperty("onHand").GetInt32(), row.Body.GetProperty("reserved").GetInt32()),
            Findings: await host.SettledChecker().CheckStoreAsync(store, CancellationToken.None));
    }

    public static string Report(Result result)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Flash sale").AppendLine();
        text.AppendLine(c, $"""
            `dotnet run -c Release --project tools/O2O.Benchmarks -- flash-sale --buyers {result.Buyers} --units {result.Units}`,
            run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (Azurite, the local host and {result.Buyers} buyers share them).
            """);
        text.AppendLine();
        text.AppendLine(c, $"""
            {result.Buyers} signed-in buyers check out one unit of the same SKU at the same store at the same
            moment ({result.Units} units on hand); each winner pays at once (prepay, the payer confirms in the
            WeChat Pay sandbox, the app publishes `o2o.order.paid`). A buyer answered 503 (the stock row's
            ETag race lost too often) tries again with the same Idempotency-Key after the Retry-After, as the
            mini-program does.
            """);
        text.AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---:|");
        text.AppendLine(c, $"| orders created | {result.Created} |");
        text.AppendLine(c, $"| orders paid | {result.Paid} |");
        text.AppendLine(c, $"| buyers told `409 out_of_stock` | {result.OutOfStock} |");
        text.AppendLine(c, $"| other answers | {(result.OtherAnswers.Count == 0 ? "none" : string.Join(", ",
            result.OtherAnswers.Select(p => $"{p.Key} ×{p.Value}")))} |");
        text.AppendLine(c, $"| stock row afterwards (onHand, reserved) | {result.Stock.OnHand}, {result.Stock.Reserved} |");
        text.AppendLine(c, $"| 503 answers retried by buyers | {result.Retries} |");
        text.AppendLine(c, $"| **sold out** (the {result.Units}th order created) | **{result.SoldOut.TotalSeconds:F1} s** |");
        text.AppendLine(c, $"| every buyer answered | {result.AllAnswered.TotalSeconds:F1} s |");
        text.AppendLine(c, $"| every winner paid | {result.AllPaid.TotalSeconds:F1} s |");
        text.AppendLine(c, $"| consistency checker findings for the store | {result.Findings.Count} |");
        text.AppendLine();
        var broken = result.Broken();
        text.AppendLine(broken.Count == 0 ? "Every promise held: exactly as many paid orders as units, none " +
            "oversold, every other buyer told out_of_stock." : "Broken: " + string.Join("; ", broken));
        return text.ToString();
    }
}
