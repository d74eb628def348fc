using System.Globalization;
using System.Text;
using O2O.Application.Orders;
using O2O.Domain.AfterSales;
using O2O.Domain.Orders;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// After a run has settled: every order's money and every store's stock, to the fen and the unit.
/// Money: what WeChat Pay (its sandbox) took less what it paid back equals what the order kept,
/// as the app records it and as the scenario says (an after-sales case gives back one unit's
/// price, and the delivery fee with the last unit). Stock: on hand is what was stocked, less the
/// units handed over, plus the returns put back on sale; nothing stays reserved.
/// </summary>
public sealed record MoneyAndStockAudit(
    int Orders, int Cases, long PaidFen, long RefundedFen, int StockRows, IReadOnlyList<string> MoneyMismatches, IReadOnlyList<string> StockMismatches)
{
    public static async Task<MoneyAndStockAudit> RunAsync(BenchmarkHost host, BenchWorld world, IReadOnlyList<LifecycleOutcome> outcomes, int stocked)
    {
        var orders = host.Get<OrderTable>();
        var weChatPay = host.Get<WeChatPaySandbox>();
        var refunds = weChatPay.Refunds;
        var money = new List<string>();
        var handedOver = new Dictionary<(string Store, string Sku), int>();
        var restocked = new Dictionary<(string Store, string Sku), int>();
        int audited = 0, cases = 0;
        long paidTotal = 0, refundedTotal = 0;
        foreach (var outcome in outcomes.Where(o => o.OrderId is not null))
        {
            var order = (await orders.GetAsync(OrderIds.ConsumerKeyOf(outcome.OrderId!)!, outcome.OrderId!, CancellationToken.None))?.Order;
            if (order is null)
            {
                money.Add($"{outcome.OrderId}: lost");
                continue;
            }
            audited++;
            var trade = weChatPay.Transaction(order.Id);
            var paid = trade?["trade_state"]?.GetValue<string>() == "SUCCESS" ? trade["amount"]!["total"]!.GetValue<long>() : 0;
            var paidBack = refunds.Where(r => RefundIds.OrderIdOf(r.Key) == order.Id && r.Value.Status == "SUCCESS").Sum(r => r.Value.Amount);
            var expectedBack = outcome.AfterSales is null || !outcome.Result.EndsWith("refunded", StringComparison.Ordinal)
                ? 0
                : order.Lines[0].UnitPriceFen + (order.Lines.Sum(l => l.Quantity) == 1 ? order.DeliveryFeeFen : 0);
            var kept = (order.Payment?.AmountFen ?? 0) - order.RefundedFen;
            if (paid != order.TotalFen || paid - paidBack != kept || paidBack != expectedBack)
                money.Add($"{order.Id}: paid {paid} of {order.TotalFen}, paid back {paidBack} (expected {expectedBack}), the app says it kept {kept}");
            paidTotal += paid;
            refundedTotal += paidBack;
            cases += order.AfterSales.Count;

            if (order.Status is OrderStatus.PickedUp or OrderStatus.Delivered)
                foreach (var line in order.UnitsToHandOver) Add(handedOver, (order.StoreId, line.Sku), line.Quantity);
            foreach (var returned in order.AfterSales.Where(c => c is { Goods: CaseGoods.Received, Restocked: true }))
                foreach (var line in returned.Lines) Add(restocked, (order.StoreId, line.Sku), line.Quantity);
        }

        var stock = new List<string>();
        var shop = new Shop(host);
        foreach (var store in world.Stores)
            foreach (var sku in world.Skus)
            {
                var row = await shop.SendAsync(HttpMethod.Get, $"admin/stores/{store}/stock/{sku}", BenchmarkHost.AdminKey);
                var (onHand, reserved) = (row.Body.GetProperty("onHand").GetInt32(), row.Body.GetProperty("reserved").GetInt32());
                var expected = stocked - handedOver.GetValueOrDefault((store, sku)) + restocked.GetValueOrDefault((store, sku));
                if (onHand != expected || reserved != 0) stock.Add($"{store}/{sku}: onHand {onHand}, reserved {reserved}; expected {expected} and 0");
            }
        return new MoneyAndStockAudit(audited, cases, paidTotal, refundedTotal, world.Stores.Count * world.Skus.Count, money, stock);
    }

    private static void Add(Dictionary<(string, string), int> counts, (string, string) key, int quantity) =>
        counts[key] = counts.GetValueOrDefault(key) + quantity;

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine().AppendLine("## Audit: money and stock").AppendLine();
        text.AppendLine(c, $"""
            {Orders} orders (the warm-up's two included) with {Cases} after-sales cases: WeChat Pay took
            {PaidFen} fen and paid back {RefundedFen} fen. **{MoneyMismatches.Count} orders** whose money
            differs from what the app recorded or the scenario gives; **{StockMismatches.Count} of {StockRows}
            stock rows** whose count differs from what was stocked, less the units handed over, plus the
            returns put back on sale, or that still hold a reservation.
            """);
        foreach (var line in MoneyMismatches.Concat(StockMismatches).Take(20)) text.AppendLine(c, $"- {line}");
        return text.ToString();
    }
}
