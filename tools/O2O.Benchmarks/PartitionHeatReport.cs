using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using O2O.Application.Storage;

namespace O2O.Benchmarks;

/// <summary>
/// How the run's load landed on table partitions and on the account, and where it would land for a
/// brand of 1 and 10 million orders a day: each partition's entities per order times the orders a
/// second at peak, scaled by the share of the brand's orders that partition serves.
/// </summary>
public static partial class PartitionHeatReport
{
    public const double PeakToAverage = 10;
    public const int PartitionLimit = 2_000;
    public const int AccountLimit = 20_000;

    /// <summary>The busiest store's (and agent's) share of a large brand's orders: an assumption, stated in the report.</summary>
    public const double BusiestShare = 0.01;

    private static readonly double[] OrdersPerDay = [1_000_000, 10_000_000];

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>What a partition serves, so what share of a brand's orders reach it.</summary>
    private enum Kind { Brand, DueBucket, Store, Buyer, Agent }

    public static string Markdown(PartitionHeat heat, IReadOnlyList<LifecycleOutcome> outcomes, double requestsPerOrder, TimeSpan elapsed)
    {
        var orders = outcomes.Count;
        var storeOrders = outcomes.Where(o => o.StoreId is not null).GroupBy(o => o.StoreId!).ToDictionary(g => g.Key, g => g.Count());
        var rows = heat.Loads().Select(load =>
        {
            var kind = KindOf(load.Table, load.Partition);
            // Entities per order the partition serves: a store's per its own orders; a brand-wide one per every order.
            var served = kind == Kind.Store ? storeOrders.GetValueOrDefault(load.Partition, orders) : orders;
            var share = kind switch { Kind.Brand or Kind.DueBucket => 1.0, Kind.Store or Kind.Agent => BusiestShare, _ => 0 };
            var perOrder = (double)load.Entities / served;
            return (Load: load, Kind: kind, PerOrder: perOrder, Projected: OrdersPerDay.Select(d => perOrder * share * Peak(d)).ToArray());
        }).Where(r => r.Kind != Kind.Buyer)
            .GroupBy(r => (r.Load.Table, r.Kind)).Select(g => g.MaxBy(r => r.Projected[^1])) // each table's hottest of each kind
            .OrderByDescending(r => r.Projected[^1]).ToList();

        var text = new StringBuilder();
        text.AppendLine("## Partitions and the account at scale").AppendLine();
        text.AppendLine(C, $"""
            Every table request of the run was read for its table and partition (`PartitionHeat`: the key
            in the path, the filter, an insert's or a batch's body; a query counts as one entity). Below,
            each table's hottest partition of each kind, hottest at 10 million orders a day first. Projection: entities per order
            the partition serves, times the orders a second at peak, **peak = {PeakToAverage:F0}× the day's
            average** ({Peak(OrdersPerDay[0]):F0} orders/s at 1M a day, {Peak(OrdersPerDay[1]):F0} at 10M);
            a brand-wide partition serves every order, a store's or an agent's only theirs, and the busiest
            store or agent is taken to have {BusiestShare:P0} of the brand's orders. A buyer's own partition
            carries one person's orders and is left out. Azure's target: {PartitionLimit:N0} entities/s per
            partition.

            | table | partition | serves | entities per order | run's busiest second | 1M/day peak /s | 10M/day peak /s |
            |---|---|---|---:|---:|---:|---:|
            """);
        foreach (var r in rows)
            text.AppendLine(C, $"| {r.Load.Table} | `{Shown(r.Load.Partition)}` | {Describe(r.Kind)} | {r.PerOrder:F2} | {r.Load.PeakPerSecond} | " +
                $"{Flag(r.Projected[0], PartitionLimit)} | {Flag(r.Projected[1], PartitionLimit)} |");
        text.AppendLine();

        var tableRequests = heat.RequestsByTable.OrderByDescending(p => p.Value).ToList();
        var allTableRequests = tableRequests.Sum(p => p.Value);
        text.AppendLine(C, $"""
            The account: {requestsPerOrder:F1} storage requests per order in this run (tables and queues;
            the Functions host's own account carries its leases and timers apart). At peak that is
            {Flag(requestsPerOrder * Peak(OrdersPerDay[0]), AccountLimit)} requests/s at 1M orders a day and
            {Flag(requestsPerOrder * Peak(OrdersPerDay[1]), AccountLimit)} at 10M, against {AccountLimit:N0}
            per account. Table requests by table, which says what moves first when one account is not enough:

            | table | share of table requests | per order |
            |---|---:|---:|
            """);
        foreach (var (table, requests) in tableRequests)
            text.AppendLine(C, $"| {table} | {(double)requests / allTableRequests:P1} | {(double)requests / orders:F2} |");
        text.AppendLine().AppendLine(C, $"The run: {orders} orders in {elapsed.TotalSeconds:F0} s ({orders / elapsed.TotalSeconds:F1} orders/s).").AppendLine();
        return text.ToString();
    }

    private static double Peak(double ordersPerDay) => ordersPerDay / 86_400 * PeakToAverage;

    private static string Flag(double perSecond, int limit) =>
        perSecond > limit ? $"**{perSecond:N0}** (over {limit:N0})" : perSecond.ToString("N0", C);

    private static Kind KindOf(string table, string partition) => (table, partition) switch
    {
        (_, _) when DueBucket().IsMatch(partition) => Kind.DueBucket,
        ("Orders", _) => Kind.Buyer,
        ("Agents", _) when partition.StartsWith("agent|", StringComparison.Ordinal) => Kind.Agent,
        ("Agents", _) => Kind.Buyer,
        ("Stock" or "StoreOrders" or "StoreAfterSales", _) => Kind.Store,
        _ => Kind.Brand,
    };

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Brand => "every order",
        Kind.DueBucket => "every order due in that 5 minutes (one shard of 4)",
        Kind.Store => "one store's orders",
        Kind.Agent => "one agent's orders",
        _ => "one buyer",
    };

    /// <summary>The kind of key, not a buyer's or an agent's id.</summary>
    private static string Shown(string partition) => partition.Length > 24 ? partition[..24] + "…" : partition;

    [GeneratedRegex(@"^\d{12}-\d$")]
    private static partial Regex DueBucket();
}
