using System.Globalization;
using System.Text;
using O2O.Application.Agents;
using O2O.Application.Orders;
using O2O.Domain.Agents;
using O2O.Domain.Orders;

namespace O2O.Benchmarks;

/// <summary>
/// After a run has settled: every agent's ledger against what the rates give, to the fen. For each
/// attributed order, each line earns the rate frozen on the order on what the buyer paid for it
/// less what was refunded of it (a case's lines; a cancellation's refund takes the rest), rounded
/// down once per line; an agent's ledger holds exactly the sum of that over its orders, entry by
/// entry per order, and its balance is the sum of its entries.
/// </summary>
public sealed record CommissionAudit(int Orders, int Attributed, IReadOnlyDictionary<string, long> ExpectedByAgent, IReadOnlyList<string> Mismatches)
{
    public static async Task<CommissionAudit> RunAsync(BenchmarkHost host, BenchWorld world, IReadOnlyList<LifecycleOutcome> outcomes)
    {
        var orders = host.Get<OrderTable>();
        var ledger = host.Get<CommissionLedger>();
        var expected = world.Agents.ToDictionary(a => a, _ => 0L);
        var expectedByOrder = new Dictionary<(string Agent, string Order), long>();
        int audited = 0, attributed = 0;
        foreach (var outcome in outcomes.Where(o => o.OrderId is not null))
        {
            var order = (await orders.GetAsync(OrderIds.ConsumerKeyOf(outcome.OrderId!)!, outcome.OrderId!, CancellationToken.None))?.Order;
            if (order is null) continue;
            audited++;
            if (order is not { Attribution: { } attribution, Payment: not null }) continue;
            attributed++;
            for (var line = 0; line < order.Lines.Count; line++)
            {
                var bought = order.Lines[line];
                var refunded = order.AfterSales.Where(c => c.Refund is not null).SelectMany(c => c.Lines).Where(l => l.Sku == bought.Sku).Sum(l => l.AmountFen);
                var kept = order.Refund is null ? Math.Max(0, bought.LineTotalFen - refunded) : 0;
                var fen = CommissionRates.Of(kept, attribution.Rates[line].Level1Bps);
                expected[attribution.AgentId] = expected.GetValueOrDefault(attribution.AgentId) + fen;
                expectedByOrder[(attribution.AgentId, order.Id)] = expectedByOrder.GetValueOrDefault((attribution.AgentId, order.Id)) + fen;
            }
        }
        var mismatches = new List<string>();
        foreach (var agent in world.Agents)
        {
            var entries = await ledger.EntriesAsync(agent, CancellationToken.None).ToListAsync();
            var balance = await ledger.BalanceAsync(agent, CancellationToken.None);
            var total = entries.Sum(e => e.AmountFen);
            if (total != expected[agent]) mismatches.Add($"{agent}: the ledger holds {total} fen, the rates give {expected[agent]}");
            if (balance.PendingFen + balance.LockedFen + balance.AvailableFen != total)
                mismatches.Add($"{agent}: the balance ({balance}) is not the sum of the entries ({total})");
            foreach (var byOrder in entries.GroupBy(e => e.OrderId))
                if (byOrder.Sum(e => e.AmountFen) != expectedByOrder.GetValueOrDefault((agent, byOrder.Key)))
                    mismatches.Add($"{agent}/{byOrder.Key}: {byOrder.Sum(e => e.AmountFen)} fen in the ledger, {expectedByOrder.GetValueOrDefault((agent,
                        byOrder.Key))} by the rates");
        }
        return new CommissionAudit(audited, attributed, expected, mismatches);
    }

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine().AppendLine("## Audit: commission").AppendLine();
        text.AppendLine(c, $"""
            {Attributed} of {Orders} orders earned an agent commission. The agents' ledgers hold
            {string.Join(", ", ExpectedByAgent.Select(p => $"{p.Key} {p.Value} fen"))} by the rates on what
            was paid less what was refunded, line by line: **{Mismatches.Count} differences** between the
            ledgers, their balances and the rates.
            """);
        foreach (var line in Mismatches.Take(20)) text.AppendLine(c, $"- {line}");
        return text.ToString();
    }
}
