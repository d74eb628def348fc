using O2O.Domain.Orders;

namespace O2O.Domain.Agents;

/// <summary>Where a ledger entry stands: earned on a paid order, locked once the goods are handed over, available after the settle time.</summary>
public enum CommissionState
{
    Pending,
    Locked,
    Available,
}

/// <summary>
/// One ledger entry: commission earned on an order line at one level, or taken back by one refund.
/// Its key is derived from the order, the line, the level and the refund, so writing it twice is
/// impossible; its amount never changes once written, only its state.
/// </summary>
public sealed record CommissionEntry(string AgentId, string OrderId, int Line,
    int Level, string? OutRefundNo, string Sku, long AmountFen, CommissionState State)
{
    public string Key => $"{OrderId}|{Line:D2}|L{Level}|{OutRefundNo ?? "earned"}";
}

/// <summary>
/// The ledger an order calls for, as a pure function of the order: on each line and level, what
/// the rates give on what the buyer paid, and for each refund (a case's lines, or the order's own
/// refund of whatever was left) the difference it makes, so that the entries of a line always add
/// up to the rate on what was paid minus what was refunded, rounded down once per line.
/// </summary>
public static class CommissionEntries
{
    public static IReadOnlyList<CommissionEntry> Of(Order order, TimeSpan settleAfter, DateTimeOffset now)
    {
        if (order is not { Attribution: { } attribution, Payment: not null }) return [];
        var state = StateOf(order, settleAfter, now);
        // Refunds in the order they were decided: cases by number, then the order's own (a cancellation, always last).
        var refunds = order.AfterSales.Where(c => c.Refund is not null).OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => (c.Refund!.OutRefundNo, Lines: (IReadOnlyList<(string Sku, long Fen)>)[.. c.Lines.Select(l => (l.Sku, l.AmountFen))]))
            .ToList();
        var entries = new List<CommissionEntry>();
        for (var line = 0; line < order.Lines.Count && line < attribution.Rates.Count; line++)
        {
            var bought = order.Lines[line];
            var rate = attribution.Rates[line];
            foreach (var (level, agentId, bps) in new[] { (1, attribution.AgentId, rate.Level1Bps), (2, attribution.ParentAgentId, rate.Level2Bps) })
            {
                if (agentId is null || bps == 0) continue;
                var kept = bought.LineTotalFen;
                entries.Add(new CommissionEntry(agentId, order.Id, line, level, null, bought.Sku, CommissionRates.Of(kept, bps), state));
                foreach (var (outRefundNo, lines) in refunds)
                {
                    var refunded = Math.Min(kept, lines.Where(l => l.Sku == bought.Sku).Sum(l => l.Fen));
                    if (refunded == 0) continue;
                    entries.Add(Reversal(agentId, order.Id, line, level, outRefundNo, bought.Sku, kept, kept - refunded, bps, state));
                    kept -= refunded;
                }
                if (order.Refund is { } own && kept > 0)
                    entries.Add(Reversal(agentId, order.Id, line, level, own.OutRefundNo, bought.Sku, kept, 0, bps, state)); // the rest goes back
            }
        }
        return entries;
    }

    private static CommissionEntry Reversal(string agentId, string orderId, int line, int level,
        string outRefundNo, string sku, long keptBefore, long keptAfter, int bps, CommissionState state) =>
        new(agentId, orderId, line, level, outRefundNo, sku, CommissionRates.Of(keptAfter, bps) - CommissionRates.Of(keptBefore, bps), state);

    /// <summary>Pending until the goods are handed over, locked until the settle time has passed with no after-sales case open, then available.</summary>
    public static CommissionState StateOf(Order order, TimeSpan settleAfter, DateTimeOffset now) =>
        order.HandedOverAt is not { } handedOver ? CommissionState.Pending
        : now >= handedOver + settleAfter && !order.HasOpenCase ? CommissionState.Available
        : CommissionState.Locked;

    /// <summary>When the order's commission may next become available, or null if it never will now (not handed over, or already).</summary>
    public static DateTimeOffset? AvailableFrom(Order order, TimeSpan settleAfter, DateTimeOffset now) =>
        order.HandedOverAt is { } handedOver && StateOf(order, settleAfter, now) == CommissionState.Locked
            ? (now >= handedOver + settleAfter ? now.AddHours(1) : handedOver + settleAfter) // an open case: look again in an hour
            : null;
}
