using O2O.Domain.Orders;

namespace O2O.UnitTests.Orders;

public sealed class OrderCancelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Order Placed() => Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", 1, 1800)], new Fulfillment.PickupAt("S-001"), "S-001",
        Now, TimeSpan.FromMinutes(15), null, null);

    [Fact]
    public void An_unpaid_order_is_cancelled_with_a_timeline_entry_and_an_event_after_the_placed_one()
    {
        var stored = Order.Restore(StoredOrders.Unpaid(1) with { Timeline = Placed().Timeline, EventsSoFar = 1 });

        var cancelled = stored.Cancel(Now.AddMinutes(3), "consumer", "changed my mind");

        Assert.Equal(OrderStatus.Cancelled, cancelled.Value!.Status);
        Assert.Equal("changed my mind", stored.CancelReason);
        Assert.Equal(new TimelineEntry(2, Now.AddMinutes(3), OrderStatus.Cancelled, "consumer"), Assert.Single(stored.NewTimelineEntries));
        var evt = Assert.Single(stored.NewEvents);
        Assert.Equal(OrderEventTypes.Cancelled, evt.Type);
        Assert.Equal("o-1.0002", evt.EventId);
    }

    [Fact]
    public void A_cancelled_order_cannot_be_cancelled_again_and_says_so()
    {
        var order = Placed();
        order.Cancel(Now, "consumer", "first");

        var again = order.Cancel(Now, "consumer", "second");

        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, again.Error!.Code);
        Assert.Equal("first", order.CancelReason);
    }
}
