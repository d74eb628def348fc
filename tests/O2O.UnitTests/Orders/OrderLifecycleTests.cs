using O2O.Domain.Orders;

namespace O2O.UnitTests.Orders;

/// <summary>The payment, fulfilment and refund transitions, each with what it must refuse.</summary>
public sealed class OrderLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Order Placed(Fulfillment? fulfillment = null) => Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", 2, 1800)],
        fulfillment ?? new Fulfillment.PickupAt("S-001"), "S-001", Now, TimeSpan.FromMinutes(15), null, null);

    [Fact]
    public void A_payment_is_recorded_once_per_transaction_and_another_transaction_is_refused()
    {
        var order = Placed();

        Assert.Equal(PaymentOutcome.Paid, order.RecordPayment("tx-1", 3600, Now).Value);
        Assert.Equal(PaymentOutcome.AlreadyRecorded, order.RecordPayment("tx-1", 3600, Now).Value);
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, order.RecordPayment("tx-2", 3600, Now).Error!.Code);
        Assert.Single(order.NewEvents, e => e.Type == OrderEventTypes.Paid);
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void The_payment_deadline_cancels_an_unpaid_order_but_never_one_paid_a_moment_earlier()
    {
        var unpaid = Placed();
        var paid = Placed();
        paid.RecordPayment("tx-1", 3600, Now.AddMinutes(14));

        var expired = unpaid.ExpireUnpaid(Now.AddMinutes(15));
        var refused = paid.ExpireUnpaid(Now.AddMinutes(15));

        Assert.Equal(OrderStatus.Cancelled, expired.Value!.Status);
        Assert.Null(unpaid.Refund);
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, refused.Error!.Code);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.Null(paid.Refund);
        Assert.DoesNotContain(paid.NewEvents, e => e.Type == OrderEventTypes.Cancelled);
    }

    [Fact]
    public void A_payment_after_a_cancel_is_kept_and_refunded_in_full_without_reopening_the_order()
    {
        var order = Placed();
        order.Cancel(Now, "system", "not paid in time");

        var late = order.RecordPayment("tx-1", 3600, Now.AddMinutes(1));

        Assert.Equal(PaymentOutcome.RefundLatePayment, late.Value);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(new RefundRecord("o-1-r", 3600, RefundStatus.Pending, null), order.Refund);
    }

    [Fact]
    public void Refund_statuses_move_on_until_a_final_one_success_raises_succeeded_and_abnormal_raises_one_alert()
    {
        var order = Placed();
        order.RecordPayment("tx-1", 3600, Now);
        order.Cancel(Now, "consumer", "changed my mind");

        order.RecordRefundStatus("o-1-r", RefundStatus.Processing, "r-1", Now);
        var beforeAbnormal = order.NewEvents.Count;
        order.RecordRefundStatus("o-1-r", RefundStatus.Abnormal, null, Now);
        order.RecordRefundStatus("o-1-r", RefundStatus.Abnormal, null, Now);
        Assert.Equal(beforeAbnormal + 1, order.NewEvents.Count);
        Assert.Equal(OrderEventTypes.RefundFailed, order.NewEvents[^1].Type);
        Assert.Equal("Abnormal", Assert.IsType<RefundFailed>(order.NewEvents[^1].Data).Status);
        var beforeSuccess = order.NewEvents.Count;
        order.RecordRefundStatus("o-1-r", RefundStatus.Succeeded, null, Now);
        order.RecordRefundStatus("o-1-r", RefundStatus.Closed, null, Now);
        order.RecordRefundStatus("o-1-r", RefundStatus.Succeeded, null, Now);

        Assert.Equal(new RefundRecord("o-1-r", 3600, RefundStatus.Succeeded, "r-1"), order.Refund);
        Assert.Equal(beforeSuccess + 1, order.NewEvents.Count);
        Assert.Equal(OrderEventTypes.RefundSucceeded, order.NewEvents[^1].Type);
    }

    [Fact]
    public void A_closed_refund_raises_the_failure_alert_and_is_final()
    {
        var order = Placed();
        order.RecordPayment("tx-1", 3600, Now);
        order.Cancel(Now, "consumer", "changed my mind");

        order.RecordRefundStatus("o-1-r", RefundStatus.Closed, "r-1", Now);
        order.RecordRefundStatus("o-1-r", RefundStatus.Succeeded, null, Now);

        Assert.Equal(RefundStatus.Closed, order.Refund!.Status);
        Assert.Single(order.NewEvents, e => e.Type == OrderEventTypes.RefundFailed);
        Assert.DoesNotContain(order.NewEvents, e => e.Type == OrderEventTypes.RefundSucceeded);
    }

    [Fact]
    public void A_mismatched_payment_is_raised_once_per_transaction_and_never_pays()
    {
        var order = Placed();

        order.RejectPayment("tx-9", "amount 1 fen is not the order's 3600 fen", Now);
        order.RejectPayment("tx-9", "amount 1 fen is not the order's 3600 fen", Now);

        Assert.Single(order.NewEvents, e => e.Type == OrderEventTypes.PaymentRejected);
        Assert.Equal(OrderStatus.PendingPayment, order.Status);
        Assert.Null(order.Payment);
    }

    [Fact]
    public void A_pickup_order_goes_accepted_ready_picked_up_and_a_delivery_order_to_dispatch()
    {
        var pickup = Placed();
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, pickup.Accept(Now, "store:S-001").Error!.Code);
        pickup.RecordPayment("tx-1", 3600, Now);
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, pickup.MarkPickedUp(Now, "store:S-001").Error!.Code);

        pickup.Accept(Now, "store:S-001");
        pickup.MarkReady(Now, "store:S-001", () => new PickupRecord("123456", Now.AddHours(48)));
        pickup.MarkPickedUp(Now, "store:S-001");
        var delivery = Placed(new Fulfillment.Delivery(new DeliveryAddress("x", "Shanghai", new O2O.Domain.Stores.GeoPoint(31.2, 121.4)),
            new Contact("Li", "13800138000")));
        delivery.RecordPayment("tx-2", 3600, Now);
        delivery.Accept(Now, "store:S-001");
        delivery.MarkReady(Now, "store:S-001", () => throw new InvalidOperationException("a delivery gets no pickup code"));

        Assert.Equal(OrderStatus.PickedUp, pickup.Status);
        Assert.Equal("123456", pickup.Pickup!.Code);
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, pickup.Cancel(Now, "consumer", "too late").Error!.Code);
        Assert.Equal(OrderStatus.Dispatching, delivery.Status);
        Assert.Null(delivery.Pickup);
    }

    [Fact]
    public void An_uncollected_pickup_expires_into_a_full_refund()
    {
        var order = Placed();
        order.RecordPayment("tx-1", 3600, Now);
        order.Accept(Now, "store:S-001");
        order.MarkReady(Now, "store:S-001", () => new PickupRecord("123456", Now.AddHours(48)));

        order.RemindPickup(Now.AddHours(24));
        var expired = order.ExpirePickup(Now.AddHours(48));

        Assert.Equal(OrderStatus.Cancelled, expired.Value!.Status);
        Assert.Equal(3600, order.Refund!.AmountFen);
        Assert.Equal(
            [OrderEventTypes.Placed, OrderEventTypes.Paid, OrderEventTypes.Accepted,
                OrderEventTypes.ReadyForPickup, OrderEventTypes.PickupReminder, OrderEventTypes.Cancelled],
            order.NewEvents.Select(e => e.Type));
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, order.ExpirePickup(Now).Error!.Code);
    }

    [Fact]
    public void A_rejected_order_waits_at_the_next_store_and_is_never_routed_back()
    {
        var order = Placed();
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, order.Reject(Now, "store:S-001", "sold out", "S-002").Error!.Code);
        order.RecordPayment("tx-1", 3600, Now);
        order.Accept(Now, "store:S-001");

        order.Reject(Now.AddMinutes(2), "store:S-001", "sold out", "S-002");

        Assert.Equal(("S-002", OrderStatus.Paid), (order.StoreId, order.Status));
        Assert.Equal(["S-001"], order.RejectedBy);
        Assert.Equal(Now.AddMinutes(2), order.AwaitingAcceptanceSince);
        Assert.Equal(new TimelineEntry(4, Now.AddMinutes(2), OrderStatus.Paid, "store:S-001", "sold out; routed to store S-002"), order.Timeline[^1]);
        var rerouted = order.NewEvents[^1];
        Assert.Equal(OrderEventTypes.Rerouted, rerouted.Type);
        Assert.Equal("S-001", Assert.IsType<OrderRerouted>(rerouted.Data).FromStoreId);
        Assert.Throws<ArgumentException>(() => order.Reject(Now, "store:S-002", "no", "S-001"));
        order.Accept(Now, "store:S-002");
        Assert.Null(order.AwaitingAcceptanceSince);
    }

    [Fact]
    public void Rejected_with_no_store_left_an_order_is_cancelled_into_a_full_refund_and_a_ready_one_cannot_be_rejected()
    {
        var order = Placed();
        order.RecordPayment("tx-1", 3600, Now);
        var ready = Placed();
        ready.RecordPayment("tx-2", 3600, Now);
        ready.Accept(Now, "store:S-001");
        ready.MarkReady(Now, "store:S-001", () => new PickupRecord("123456", Now.AddHours(48)));

        order.Reject(Now, "system", "not accepted within 10 minutes", nextStoreId: null);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(new RefundRecord("o-1-r", 3600, RefundStatus.Pending, null), order.Refund);
        Assert.Equal(OrderEventTypes.Cancelled, order.NewEvents[^1].Type);
        Assert.Equal("S-001", order.StoreId);
        Assert.Equal(O2O.Domain.Common.ErrorCodes.InvalidTransition, ready.Reject(Now, "store:S-001", "sold out", "S-002").Error!.Code);
        Assert.Equal(OrderStatus.ReadyForPickup, ready.Status);
    }

    [Fact]
    public void A_delivery_accepted_by_a_store_with_a_preparation_time_goes_to_dispatch_at_once_and_a_pickup_does_not()
    {
        var delivery = Placed(new Fulfillment.Delivery(new DeliveryAddress("x", "Shanghai", new O2O.Domain.Stores.GeoPoint(31.2, 121.4)),
            new Contact("Li", "13800138000")));
        delivery.RecordPayment("tx-1", 3600, Now);
        var pickup = Placed();
        pickup.RecordPayment("tx-2", 3600, Now);

        delivery.Accept(Now, "store:S-001", readyBy: Now.AddMinutes(20));
        delivery.Accept(Now, "store:S-001", readyBy: Now.AddMinutes(20));
        pickup.Accept(Now, "store:S-001", readyBy: Now.AddMinutes(20));

        Assert.Equal(OrderStatus.Dispatching, delivery.Status);
        Assert.Equal(Now.AddMinutes(20), delivery.Delivery!.ReadyBy);
        Assert.Equal([OrderStatus.PendingPayment, OrderStatus.Paid, OrderStatus.Accepted, OrderStatus.Dispatching], delivery.Timeline.Select(t => t.Status));
        Assert.Equal(OrderStatus.Accepted, pickup.Status);
        Assert.Null(pickup.Delivery);
    }

    [Fact]
    public void Courier_updates_move_forward_only_and_a_reassignment_updates_the_rider()
    {
        var order = Placed(new Fulfillment.Delivery(new DeliveryAddress("x", "Shanghai", new O2O.Domain.Stores.GeoPoint(31.2, 121.4)),
            new Contact("Li", "13800138000")));
        order.RecordPayment("tx-1", 3600, Now);
        order.Accept(Now, "store:S-001");
        order.MarkReady(Now, "store:S-001", () => throw new InvalidOperationException("no code for a delivery"));
        order.BeginBooking("dada", Now);
        order.RecordBooking("dada", "o-1-1");
        O2O.Domain.Dispatch.CourierUpdate Update(O2O.Domain.Dispatch.CourierStatus status,
            string rider = "Wang", string provider = "dada", string id = "o-1-1") =>
            new(provider, id, "DD1", status, Now, rider, "13912345678");

        var effects = new[]
        {
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.InTransit), Now),        // skipped Assigned
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.Assigned), Now),         // late
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.InTransit, "Zhao"), Now), // reassigned
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.Delivered, "Zhao", provider: "sf"), Now), // not its booking
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.Delivered, "Zhao", id: "o-1-2"), Now),    // an old or future booking
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.Delivered, "Zhao"), Now),
            order.ApplyCourierUpdate(Update(O2O.Domain.Dispatch.CourierStatus.Delivered, "Zhao"), Now),       // duplicate
        };

        Assert.Equal(
            [O2O.Domain.Dispatch.CourierEffect.Changed, O2O.Domain.Dispatch.CourierEffect.None, O2O.Domain.Dispatch.CourierEffect.Changed,
                O2O.Domain.Dispatch.CourierEffect.None, O2O.Domain.Dispatch.CourierEffect.None, O2O.Domain.Dispatch.CourierEffect.Delivered,
                O2O.Domain.Dispatch.CourierEffect.None],
            effects);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(("Zhao", "139****5678"), (order.Delivery!.RiderName, order.Delivery.RiderPhone));
        Assert.Equal([OrderStatus.InTransit, OrderStatus.Delivered], order.Timeline.Skip(4).Select(t => t.Status));
    }

    [Fact]
    public void Only_a_change_marks_a_loaded_order_for_writing()
    {
        var order = Order.Restore(StoredOrders.Unpaid(2) with { EventsSoFar = 1 });

        order.Accept(Now, "store:S-001"); // refused: not paid
        order.RecordRefundStatus("o-1-r", RefundStatus.Succeeded, null, Now); // no refund to update
        Assert.False(order.Changed);
        order.RecordPrepay("wx-prepay", Now, "o-payer");
        Assert.True(order.Changed);
    }
}
