using O2O.Domain.Orders;

namespace O2O.UnitTests.Orders;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_placed_order_awaits_payment_with_its_total_from_the_lines_and_one_placed_event()
    {
        var order = Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", 2, 1800), new OrderLine("CAKE-001", "Cake", 1, 3800)],
            new Fulfillment.PickupAt("S-001"), "S-001", Now, TimeSpan.FromMinutes(15), "A-1", null);

        Assert.Equal(OrderStatus.PendingPayment, order.Status);
        Assert.Equal(7400, order.TotalFen);
        Assert.Equal(Now.AddMinutes(15), order.PayBy);
        Assert.Equal(new TimelineEntry(1, Now, OrderStatus.PendingPayment, "consumer"), Assert.Single(order.Timeline));
        var placed = Assert.Single(order.NewEvents);
        Assert.Equal(OrderEventTypes.Placed, placed.Type);
        Assert.Equal("o-1.0001", placed.EventId);
        Assert.Equal(7400L, Assert.IsType<OrderPlaced>(placed.Data).TotalFen);
    }

    [Fact]
    public void A_restored_order_raises_no_events()
    {
        var order = Order.Restore(StoredOrders.Unpaid(1) with
        {
            Timeline = [new TimelineEntry(1, Now, OrderStatus.PendingPayment, "consumer")],
            EventsSoFar = 1
        });

        Assert.Empty(order.NewEvents);
        Assert.Single(order.Timeline);
    }

    [Fact]
    public void Order_ids_are_stable_per_consumer_and_key_and_carry_the_consumer_partition()
    {
        var alice = OrderIds.ConsumerKey("openid-alice");
        var bob = OrderIds.ConsumerKey("openid-bob");

        var id = OrderIds.ForRequest(alice, "key-1");

        Assert.Equal(id, OrderIds.ForRequest(alice, "key-1"));
        Assert.NotEqual(id, OrderIds.ForRequest(alice, "key-2"));
        Assert.NotEqual(id, OrderIds.ForRequest(bob, "key-1"));
        Assert.Equal(alice, OrderIds.ConsumerKeyOf(id));
        Assert.Matches("^[0-9A-Za-z_|*-]{6,32}$", id); // a WeChat Pay out_trade_no
        Assert.DoesNotContain("openid", alice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-order")]
    [InlineData("c0123456789abcde-0123456789ab-extra")]
    [InlineData("C0123456789ABCDE-0123456789AB")]
    [InlineData("c0123456789abcde_0123456789ab")]
    public void Strings_that_are_not_order_ids_have_no_consumer(string id) => Assert.Null(OrderIds.ConsumerKeyOf(id));
}
