using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.UnitTests.Orders;

/// <summary>An order's promise watched at its moments: alerts once each, the breach at the promised moment, the minutes late when kept.</summary>
public sealed class PromiseWatchTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Paid at <see cref="T"/>: ready by T+15 (pickup), and for a delivery delivered by T+40.</summary>
    private static Order Paid(bool delivery = false)
    {
        Fulfillment fulfillment = delivery
            ? new Fulfillment.Delivery(new DeliveryAddress("1 Nanjing Rd", "Shanghai", new GeoPoint(31.2, 121.4)), new Contact("Li", "13800138000"))
            : new Fulfillment.PickupAt("S-1");
        var order = Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", 1, 1800)], fulfillment, "S-1", T, TimeSpan.FromMinutes(15),
            null, null, deliveryFeeFen: delivery ? 500 : 0, promise: OrderPromise.Make(null, T, 15, delivery ? 25 : null));
        order.RecordPayment("wx-1", order.TotalFen, T);
        return order;
    }

    private static void Courier(Order order, CourierStatus status, DateTimeOffset at) =>
        order.ApplyCourierUpdate(new CourierUpdate("sf", order.Delivery!.DeliveryId(order.Id)!, null, status, at), at);

    private static string[] Alerts(Order order) =>
        [.. order.NewEvents.Where(e => e.Data is PromiseAlert).Select(e => $"{e.Type[10..]}:{((PromiseAlert)e.Data).Reason}")];

    [Fact]
    public void A_pickup_not_accepted_in_time_is_at_risk_then_broken_at_its_ready_by_and_kept_late_counts_its_minutes()
    {
        var order = Paid();

        var first = order.FirstPromiseCheck;
        var early = order.WatchPromise(T.AddMinutes(4));
        var atRisk = order.WatchPromise(T.AddMinutes(5)); // five minutes after work should have started, still not accepted
        order.Accept(T.AddMinutes(6), "store:S-1");
        var again = order.WatchPromise(T.AddMinutes(6));
        var breached = order.WatchPromise(T.AddMinutes(15));
        order.MarkReady(T.AddMinutes(20).AddSeconds(1), "store:S-1", () => new PickupRecord("123456", T.AddHours(2)));

        Assert.Equal((T.AddMinutes(5), T.AddMinutes(5), T.AddMinutes(15), T.AddMinutes(15), (DateTimeOffset?)null),
            (first, early, atRisk, again, breached));
        Assert.Equal(["promise_at_risk:not_accepted", "promise_breached:not_ready"], Alerts(order));
        Assert.Equal(T.AddMinutes(15), order.Watch.BreachedAt);
        Assert.Equal(6, order.Watch.MinutesLate); // 5 minutes and a second: six minutes started
        var breach = (PromiseAlert)order.NewEvents.Single(e => e.Type == OrderEventTypes.PromiseBreached).Data;
        Assert.Equal((T.AddMinutes(15), T.AddMinutes(15)), (breach.PromisedAt, breach.SeenAt));
    }

    [Fact]
    public void A_pickup_ready_in_time_raises_nothing_and_is_kept_on_time()
    {
        var order = Paid();
        order.Accept(T.AddMinutes(1), "store:S-1");
        order.MarkReady(T.AddMinutes(12), "store:S-1", () => new PickupRecord("123456", T.AddHours(2)));
        order.MarkPickedUp(T.AddMinutes(50), "store:S-1"); // collected late: the store kept its promise when it was ready

        Assert.Null(order.WatchPromise(T.AddMinutes(30)));
        Assert.Empty(Alerts(order));
        Assert.Equal(0, order.Watch.MinutesLate);
    }

    [Fact]
    public void A_delivery_with_no_rider_by_its_ready_by_and_none_on_the_way_before_its_time_is_at_risk_twice_then_broken()
    {
        var order = Paid(delivery: true);
        order.Accept(T.AddMinutes(1), "store:S-1", readyBy: T.AddMinutes(15)); // dispatching at once

        order.WatchPromise(T.AddMinutes(15));
        order.WatchPromise(T.AddMinutes(15)); // a sweep redelivered: nothing twice
        order.BeginBooking("sf", T.AddMinutes(16));
        order.RecordBooking("sf", "sf-1");
        Courier(order, CourierStatus.Assigned, T.AddMinutes(20));
        var next = order.WatchPromise(T.AddMinutes(30)); // rider assigned but not on the way ten minutes before the door
        var done = order.WatchPromise(T.AddMinutes(40));

        Assert.Equal(["promise_at_risk:no_rider", "promise_at_risk:rider_late", "promise_breached:not_delivered"], Alerts(order));
        Assert.Equal((T.AddMinutes(40), (DateTimeOffset?)null), (next, done));
    }

    [Fact]
    public void A_delivery_on_the_way_in_time_is_not_at_risk_and_a_cancelled_order_is_no_longer_watched()
    {
        var order = Paid(delivery: true);
        order.Accept(T.AddMinutes(1), "store:S-1", readyBy: T.AddMinutes(15));
        order.BeginBooking("sf", T.AddMinutes(2));
        order.RecordBooking("sf", "sf-1");
        Courier(order, CourierStatus.InTransit, T.AddMinutes(16));
        order.WatchPromise(T.AddMinutes(30));
        var cancelled = Paid();
        cancelled.Cancel(T.AddMinutes(1), "consumer", "changed my mind");

        Assert.Empty(Alerts(order));
        Assert.Null(cancelled.WatchPromise(T.AddMinutes(30)));
        Assert.Empty(Alerts(cancelled));
    }
}
