using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.UnitTests.Orders;

public sealed class OrderPromiseTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai

    [Fact]
    public void As_soon_as_possible_is_the_preparation_and_for_a_delivery_the_ride()
    {
        var pickup = OrderPromise.Make(null, T, 15, rideMinutes: null);
        var delivery = OrderPromise.Make(null, T, 15, rideMinutes: 30);

        Assert.Equal((T.AddMinutes(15), (DateTimeOffset?)null), (pickup.ReadyBy, pickup.DeliveredBy));
        Assert.Equal((T.AddMinutes(15), (DateTimeOffset?)T.AddMinutes(45)), (delivery.ReadyBy, delivery.DeliveredBy));
        Assert.Equal(T, delivery.StartBy());
    }

    [Fact]
    public void A_pickup_slot_is_ready_at_its_start_and_a_delivery_window_leaves_the_ride_before_it()
    {
        var slot = new Slot(T.AddHours(3), T.AddHours(3.5));

        var pickup = OrderPromise.Make(slot, T, 15, rideMinutes: null);
        var delivery = OrderPromise.Make(slot, T, 15, rideMinutes: 30);

        Assert.Equal(T.AddHours(3), pickup.ReadyBy);
        Assert.Equal(T.AddHours(3).AddMinutes(-15), pickup.StartBy()); // the clerk starts 15 minutes before the slot, not at payment
        Assert.Equal((T.AddHours(2.5), (DateTimeOffset?)T.AddHours(3.5)), (delivery.ReadyBy, delivery.DeliveredBy));
    }

    [Fact]
    public void A_slot_too_close_for_the_preparation_is_promised_no_sooner_than_the_store_can()
    {
        var soon = new Slot(T.AddMinutes(10), T.AddMinutes(40));

        Assert.Equal(T.AddMinutes(15), OrderPromise.Make(soon, T, 15, rideMinutes: null).ReadyBy);
        Assert.Equal(T.AddMinutes(15), OrderPromise.Make(soon, T, 15, rideMinutes: 30).ReadyBy);
    }

    [Fact]
    public void Payment_counts_as_soon_as_possible_again_but_leaves_a_slot_alone()
    {
        var paidAt = T.AddMinutes(12);
        var asap = OrderPromise.Make(null, T, 15, rideMinutes: 30).PaidAt(paidAt);
        var slotted = OrderPromise.Make(new Slot(T.AddHours(3), T.AddHours(3.5)), T, 15, rideMinutes: 30);

        Assert.Equal((paidAt.AddMinutes(15), (DateTimeOffset?)paidAt.AddMinutes(45)), (asap.ReadyBy, asap.DeliveredBy));
        Assert.Same(slotted, slotted.PaidAt(paidAt));
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(1_000, 20)] // 15 + 4
    [InlineData(2_000, 23)]
    [InlineData(5_500, 37)] // 15 + ceil(22)
    public void A_ride_is_promised_by_distance_with_a_floor(double meters, int minutes) =>
        Assert.Equal(minutes, OrderPromise.RideMinutesFor(meters));

    [Fact]
    public void Payment_moves_an_as_soon_as_possible_promise_and_the_paid_event_carries_it()
    {
        var order = Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", 1, 1800)], new Fulfillment.PickupAt("S-1"), "S-1", T,
            TimeSpan.FromMinutes(15), null, null, promise: OrderPromise.Make(null, T, 15, null));

        order.RecordPayment("wx-1", 1800, T.AddMinutes(10));

        Assert.Equal(T.AddMinutes(25), order.Promise!.ReadyBy);
        Assert.Equal(T.AddMinutes(25), Assert.IsType<OrderPaid>(order.NewEvents[^1].Data).Promise!.ReadyBy);
    }

    [Theory]
    [InlineData(15, 0, 15)]
    [InlineData(15, 3, 21)] // three orders in hand, two minutes each
    [InlineData(10, 1000, 720)] // never more than a working day
    public void An_order_for_now_waits_for_the_orders_the_store_has_in_hand(int preparation, int ahead, int minutes) =>
        Assert.Equal(minutes, OrderPromise.PreparationWithQueue(preparation, ahead));
}
