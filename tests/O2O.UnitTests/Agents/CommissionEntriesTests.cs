using O2O.Domain.AfterSales;
using O2O.Domain.Agents;
using O2O.Domain.Orders;
using O2O.UnitTests.Orders;

namespace O2O.UnitTests.Agents;

public sealed class CommissionEntriesTests
{
    private static readonly DateTimeOffset T = StoredOrders.Now;
    private static readonly TimeSpan Settle = TimeSpan.FromDays(7);

    [Fact]
    public void Each_line_and_level_earns_the_rate_on_what_was_paid_for_it_and_the_delivery_fee_earns_nothing()
    {
        var order = Paid(new Attribution("A-1", "P-1", [new LineRate("TEA", 500, 100), new LineRate("CAKE", 500, 100)]), delivery: true);

        var entries = CommissionEntries.Of(order, Settle, T);

        Assert.Equal(
            [("A-1", "TEA", 179L), ("P-1", "TEA", 35L), ("A-1", "CAKE", 150L), ("P-1", "CAKE", 30L)], // 3,598 and 3,000 fen; the 500 fen fee earns nothing
            entries.Select(e => (e.AgentId, e.Sku, e.AmountFen)));
        Assert.All(entries, e => Assert.Equal(CommissionState.Pending, e.State));
    }

    [Fact]
    public void A_cancellation_takes_back_whatever_the_cases_left_so_the_order_earns_nothing()
    {
        var order = Paid(new Attribution("A-1", null, [new LineRate("TEA", 500, 0), new LineRate("CAKE", 500, 0)]));
        var asked = order.RequestAfterSales(new AfterSalesInput("refund", [new LineInput("TEA", 1)], "changed my mind", null, null),
            "k", "h", T, AfterSalesPolicy.Default);
        order.Cancel(T, "consumer", "changed my mind");

        var entries = CommissionEntries.Of(order, Settle, T);

        Assert.Equal(0, entries.Sum(e => e.AmountFen));
        Assert.Contains(entries, e => e.OutRefundNo == asked.Value!.Id && e.AmountFen == -90); // 179 → 89 on the 1,799 fen kept
        Assert.Contains(entries, e => e.OutRefundNo == RefundIds.For("o-1") && e.Sku == "TEA" && e.AmountFen == -89);
        Assert.Contains(entries, e => e.OutRefundNo == RefundIds.For("o-1") && e.Sku == "CAKE" && e.AmountFen == -150);
    }

    [Fact]
    public void Commission_is_locked_once_handed_over_and_available_after_the_settle_time_unless_a_case_is_open()
    {
        var order = Paid(new Attribution("A-1", null, [new LineRate("TEA", 500, 0), new LineRate("CAKE", 500, 0)]));
        order.Accept(T, "store:S-001");
        order.MarkReady(T, "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        order.MarkPickedUp(T, "store:S-001");

        Assert.Equal(CommissionState.Locked, CommissionEntries.StateOf(order, Settle, T + Settle - TimeSpan.FromSeconds(1)));
        Assert.Equal(T + Settle, CommissionEntries.AvailableFrom(order, Settle, T));
        Assert.Equal(CommissionState.Available, CommissionEntries.StateOf(order, Settle, T + Settle));
        order.RequestAfterSales(new AfterSalesInput("return", [new LineInput("TEA", 1)], "broken", null, null), "k", "h", T, AfterSalesPolicy.Default);
        Assert.Equal(CommissionState.Locked, CommissionEntries.StateOf(order, Settle, T + Settle));
        Assert.Equal(T + Settle + TimeSpan.FromHours(1), CommissionEntries.AvailableFrom(order, Settle, T + Settle));
    }

    [Fact]
    public void An_order_nobody_shared_or_nobody_paid_earns_nothing()
    {
        Assert.Empty(CommissionEntries.Of(Paid(attribution: null), Settle, T));
        var unpaid = Order.Place("o-2", "c-1", [new OrderLine("TEA", "Tea", 1, 1799)], new Fulfillment.PickupAt("S-001"), "S-001", T, TimeSpan.FromMinutes(15),
            agentCode: null, note: null, attribution: new Attribution("A-1", null, [new LineRate("TEA", 500, 0)]));
        Assert.Empty(CommissionEntries.Of(unpaid, Settle, T));
    }

    private static Order Paid(Attribution? attribution, bool delivery = false)
    {
        var order = Order.Place("o-1", "c-1", [new OrderLine("TEA", "Tea", 2, 1799), new OrderLine("CAKE", "Cake", 1, 3000)],
            delivery
                ? new Fulfillment.Delivery(new DeliveryAddress("1 Nanjing Rd", "Shanghai", new O2O.Domain.Stores.GeoPoint(31.2, 121.4)),
                    new Contact("Li", "13800138000"))
                : new Fulfillment.PickupAt("S-001"),
            "S-001", T, TimeSpan.FromMinutes(15), agentCode: null, note: null, deliveryFeeFen: delivery ? 500 : 0, attribution: attribution);
        order.RecordPayment("wx-1", order.TotalFen, T);
        return order;
    }
}
