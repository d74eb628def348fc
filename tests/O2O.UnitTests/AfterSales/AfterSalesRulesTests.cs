using O2O.Domain.AfterSales;
using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.UnitTests.Orders;

namespace O2O.UnitTests.AfterSales;

public sealed class AfterSalesRulesTests
{
    private static readonly DateTimeOffset T = StoredOrders.Now;
    private static readonly AfterSalesPolicy Policy = AfterSalesPolicy.Default;

    [Fact]
    public void Refunds_never_add_up_to_more_than_was_paid_and_the_delivery_fee_goes_back_with_the_last_unit()
    {
        var order = Accepted(delivery: true); // 2 × 1800 + 500 fee = 4100
        var first = Approve(order, Ask(order, "refund", 1, "k-1"));
        var second = Approve(order, Ask(order, "refund", 1, "k-2"));

        Assert.Equal(1800, first.Refund!.AmountFen);
        Assert.Equal(2300, second.Refund!.AmountFen);
        Assert.Equal(order.Payment!.AmountFen, order.RefundedFen);
        Assert.Equal(OrderStatus.Cancelled, order.Status); // nothing left to hand over
        Assert.Null(order.Refund); // and nothing left for the order's own refund
        Assert.False(order.RequestAfterSales(Input("refund", 1), "k-3", "h-k-3", T, Policy).IsSuccess);
    }

    [Fact]
    public void A_cancellation_after_a_partial_case_refunds_only_the_rest()
    {
        var order = Paid(quantity: 3);
        var approvedAtOnce = Ask(order, "refund", 1, "k-1");

        order.Cancel(T, "consumer", "changed my mind");

        Assert.Equal(CaseReview.Approved, approvedAtOnce.Review);
        Assert.Equal("system", approvedAtOnce.ReviewedBy);
        Assert.Equal(3600, order.Refund!.AmountFen);
        Assert.Equal(5400, order.RefundedFen);
        Assert.Equal(2, order.Refunds.Count());
    }

    [Fact]
    public void While_a_case_is_open_the_goods_are_neither_handed_over_nor_dispatched()
    {
        var pickup = Accepted(delivery: false);
        pickup.MarkReady(T, "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        var delivery = Accepted(delivery: true);
        Ask(pickup, "refund", 1, "k-1");
        Ask(delivery, "refund", 1, "k-1");

        Assert.Equal(ErrorCodes.AfterSalesOpen, pickup.MarkPickedUp(T, "store:S-001").Error!.Code);
        Assert.Equal(ErrorCodes.AfterSalesOpen, delivery.MarkReady(T, "store:S-001", () => throw new InvalidOperationException()).Error!.Code);
        pickup.RejectAfterSales(pickup.AfterSales[0].Id, T, "store:S-001", "fine as made", headOffice: false);
        Assert.True(pickup.MarkPickedUp(T, "store:S-001").IsSuccess);
        Assert.Equal([new CartLine("TEA-001", 2)], pickup.UnitsToHandOver);
    }

    [Fact]
    public void A_refund_approved_in_the_store_leaves_the_rest_to_hand_over()
    {
        var order = Accepted(delivery: false);
        order.MarkReady(T, "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        var approved = Approve(order, Ask(order, "refund", 1, "k-1"));

        Assert.True(approved.UnitsInStore);
        Assert.Equal([new CartLine("TEA-001", 1)], order.UnitsToHandOver);
        Assert.Equal(1, order.ClaimableQuantity("TEA-001"));
        Assert.True(order.MarkPickedUp(T, "store:S-001").IsSuccess);
    }

    [Fact]
    public void A_repeated_request_answers_its_case_and_a_reused_key_is_refused()
    {
        var order = PickedUp();
        var opened = Ask(order, "return", 1, "k-1");
        var events = order.NewEvents.Count;

        var repeated = order.RequestAfterSales(Input("return", 1), "k-1", "h-k-1", T, Policy);
        var reused = order.RequestAfterSales(Input("return", 2), "k-1", "other", T, Policy);

        Assert.Equal(opened, repeated.Value);
        Assert.Equal(events, order.NewEvents.Count);
        Assert.Equal(ErrorCodes.IdempotencyKeyReused, reused.Error!.Code);
        Assert.Single(order.AfterSales);
    }

    [Fact]
    public void The_store_approves_up_to_its_limit_head_office_above_it_and_over_a_store_s_rejection()
    {
        var order = PickedUp();
        var asked = Ask(order, "refund", 2, "k-1");
        var strict = Policy with { StoreApprovalLimitFen = 3599 };

        var byStore = order.ApproveAfterSales(asked.Id, T, "store:S-001", strict, headOffice: false);
        order.RejectAfterSales(asked.Id, T, "store:S-001", "used", headOffice: false);
        var byStoreAfterRejecting = order.ApproveAfterSales(asked.Id, T, "store:S-001", Policy, headOffice: false);
        var byHeadOffice = order.ApproveAfterSales(asked.Id, T, "headoffice", strict, headOffice: true);

        Assert.Equal(ErrorCodes.ApprovalLimitExceeded, byStore.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidTransition, byStoreAfterRejecting.Error!.Code);
        Assert.Equal(CaseReview.Approved, byHeadOffice.Value!.Review);
        Assert.Equal(3600, byHeadOffice.Value.Refund!.AmountFen);
    }

    [Fact]
    public void Deadlines_approve_an_unanswered_case_and_close_a_return_never_brought_back()
    {
        var order = PickedUp();
        var unanswered = Ask(order, "refund", 1, "k-1");
        var returned = Approve(order, Ask(order, "return", 1, "k-2"));

        Assert.Equal(0, order.ApplyAfterSalesDeadlines(T + Policy.StoreAnswer - TimeSpan.FromSeconds(1), Policy));
        Assert.Equal(1, order.ApplyAfterSalesDeadlines(T + Policy.StoreAnswer, Policy));
        Assert.Equal(1, order.ApplyAfterSalesDeadlines(T + Policy.ReturnTime, Policy));
        Assert.Equal(0, order.ApplyAfterSalesDeadlines(T + Policy.ReturnTime, Policy));

        Assert.Equal("system", order.Case(unanswered.Id)!.ReviewedBy);
        Assert.NotNull(order.Case(unanswered.Id)!.Refund);
        Assert.Equal("Closed", order.Case(returned.Id)!.Stage);
        Assert.Null(order.Case(returned.Id)!.Refund);
        Assert.Equal(1, order.ClaimableQuantity("TEA-001")); // the unit never returned may be asked for again
    }

    [Fact]
    public void A_return_is_refunded_once_the_goods_are_received()
    {
        var order = PickedUp();
        var approved = Approve(order, Ask(order, "return", 2, "k-1"));

        var received = order.ReceiveReturn(approved.Id, T, "store:S-001", restock: true).Value!;
        var again = order.ReceiveReturn(approved.Id, T, "store:S-001", restock: false).Value!;

        Assert.Null(approved.Refund);
        Assert.Equal(CaseGoods.AwaitingReturn, approved.Goods);
        Assert.Equal(3600, received.Refund!.AmountFen);
        Assert.True(again.Restocked); // the first answer stands
        Assert.True(order.RecordRefundStatus(approved.Id, RefundStatus.Succeeded, "r-1", T));
        Assert.Equal("Refunded", order.Case(approved.Id)!.Stage);
        Assert.Equal(OrderEventTypes.AfterSalesRefunded, order.NewEvents[^1].Type);
    }

    [Fact]
    public void A_case_is_refused_before_payment_on_the_way_and_after_the_window_and_a_return_needs_goods_handed_over()
    {
        var unpaid = Order.Restore(StoredOrders.Unpaid(2));
        var inStore = Accepted(delivery: false);
        var handedOver = PickedUp();

        Assert.Equal(ErrorCodes.InvalidTransition, unpaid.RequestAfterSales(Input("refund", 1), "k", "h", T, Policy).Error!.Code);
        Assert.True(inStore.RequestAfterSales(Input("return", 1), "k", "h", T, Policy).Error!.FieldErrors!.ContainsKey("type"));
        Assert.Equal(ErrorCodes.AfterSalesWindowClosed,
            handedOver.RequestAfterSales(Input("refund", 1), "k", "h", T + Policy.Window + TimeSpan.FromSeconds(1), Policy).Error!.Code);
        Assert.Empty(unpaid.AfterSales);
        Assert.Empty(inStore.AfterSales);
        Assert.Empty(handedOver.AfterSales);
    }

    [Fact]
    public void At_most_forty_cases_keep_every_refund_of_the_payment_within_WeChat_Pay_s_fifty()
    {
        var order = Order.Place("o-9", "c-1", [new OrderLine("TEA-001", "Tea", 99, 10)], new Fulfillment.PickupAt("S-001"), "S-001", T,
            TimeSpan.FromMinutes(15), agentCode: null, note: null);
        order.RecordPayment("wx-9", order.TotalFen, T);
        order.Accept(T, "store:S-001");
        for (var i = 0; i < Order.MaxCases; i++) Ask(order, "refund", 1, $"k-{i}");

        var oneMore = order.RequestAfterSales(Input("refund", 1), "k-more", "h", T, Policy);

        Assert.Equal(ErrorCodes.InvalidTransition, oneMore.Error!.Code);
        Assert.Equal(Order.MaxCases, order.AfterSales.Count);
    }

    [Fact]
    public void A_case_id_is_a_valid_out_refund_no_that_names_its_order()
    {
        var orderId = OrderIds.ForRequest(OrderIds.ConsumerKey("o-payer"), "key");
        var caseId = AfterSalesIds.For(orderId, 40);

        Assert.Equal(orderId, AfterSalesIds.OrderIdOf(caseId));
        Assert.Equal(orderId, RefundIds.OrderIdOf(caseId));
        Assert.Equal(orderId, RefundIds.OrderIdOf(RefundIds.For(orderId)));
        Assert.InRange(caseId.Length, 6, 64);
        Assert.Matches("^[0-9A-Za-z_|*@-]+$", caseId);
        Assert.Null(AfterSalesIds.OrderIdOf("x-a01"));
        Assert.Null(AfterSalesIds.OrderIdOf(orderId + "-ab1"));
    }

    private static AfterSalesInput Input(string type, int quantity) =>
        new(type, [new LineInput("TEA-001", quantity)], "not as described", null, ["https://img.example.com/1.jpg"]);

    [Fact]
    public void The_store_limit_counts_every_case_of_the_order_so_a_refund_split_into_small_cases_still_goes_to_head_office()
    {
        var policy = Policy with { StoreApprovalLimitFen = 3000 }; // one unit (1800) fits, two (3600) do not
        var order = Accepted(delivery: false, quantity: 3);
        var whole = Ask(order, "refund", 2, "k-1");
        var wholeRefused = order.ApproveAfterSales(whole.Id, T, "store:S-001", policy, headOffice: false);
        order.WithdrawAfterSales(whole.Id, T, "consumer");
        var first = Ask(order, "refund", 1, "k-2");
        var firstApproved = order.ApproveAfterSales(first.Id, T, "store:S-001", policy, headOffice: false);
        var second = Ask(order, "refund", 1, "k-3");

        var secondByStore = order.ApproveAfterSales(second.Id, T, "store:S-001", policy, headOffice: false);

        Assert.Equal(ErrorCodes.ApprovalLimitExceeded, wholeRefused.Error!.Code);
        Assert.True(firstApproved.IsSuccess);
        Assert.Equal(ErrorCodes.ApprovalLimitExceeded, secondByStore.Error!.Code);
        Assert.True(order.NeedsHeadOffice(order.Case(second.Id)!, policy));
        Assert.Equal(3600, order.ClaimedFen);
        Assert.True(order.ApproveAfterSales(second.Id, T, "headoffice", policy, headOffice: true).IsSuccess);
    }

    [Fact]
    public void A_case_above_the_limit_escalates_when_the_store_is_silent_and_head_offices_silence_rejects_it_with_a_reason()
    {
        var policy = Policy with { StoreApprovalLimitFen = 1000 };
        var order = Accepted(delivery: false);
        var asked = Ask(order, "refund", 1, "k-1");

        var atStoreDeadline = order.ApplyAfterSalesDeadlines(T + policy.StoreAnswer, policy);
        var escalated = order.Case(asked.Id)!;
        var beforeHeadOffice = order.ApplyAfterSalesDeadlines(T + policy.StoreAnswer + policy.HeadOfficeAnswer - TimeSpan.FromMinutes(1), policy);
        var atHeadOfficeDeadline = order.ApplyAfterSalesDeadlines(T + policy.StoreAnswer + policy.HeadOfficeAnswer, policy);

        Assert.Equal((1, 0, 1), (atStoreDeadline, beforeHeadOffice, atHeadOfficeDeadline));
        Assert.Equal((CaseReview.Requested, T + policy.StoreAnswer), (escalated.Review, escalated.EscalatedAt));
        Assert.Equal(T + policy.StoreAnswer + policy.HeadOfficeAnswer, escalated.Deadline(policy));
        var rejected = order.Case(asked.Id)!;
        Assert.Equal((CaseReview.Rejected, AfterSalesPolicy.HeadOfficeSilenceReason), (rejected.Review, rejected.RejectReason));
        Assert.Null(rejected.Refund);
        Assert.Equal(
            [OrderEventTypes.AfterSalesRequested, OrderEventTypes.AfterSalesEscalated, OrderEventTypes.AfterSalesRejected],
            order.NewEvents.Select(e => e.Type).Where(t => t.StartsWith(OrderEventTypes.AfterSalesPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_case_within_the_limit_is_still_approved_by_the_stores_silence()
    {
        var order = Accepted(delivery: false);
        var asked = Ask(order, "refund", 1, "k-1");

        Assert.Equal(1, order.ApplyAfterSalesDeadlines(T + Policy.StoreAnswer, Policy));

        Assert.Equal((CaseReview.Approved, "system", (DateTimeOffset?)null),
            (order.Case(asked.Id)!.Review, order.Case(asked.Id)!.ReviewedBy, order.Case(asked.Id)!.EscalatedAt));
    }

    private static AfterSalesCase Ask(Order order, string type, int quantity, string key)
    {
        var asked = order.RequestAfterSales(Input(type, quantity), key, "h-" + key, T, Policy);
        Assert.True(asked.IsSuccess, asked.Error?.Detail);
        return asked.Value;
    }

    private static AfterSalesCase Approve(Order order, AfterSalesCase asked)
    {
        var approved = order.ApproveAfterSales(asked.Id, T, "store:S-001", Policy, headOffice: false);
        Assert.True(approved.IsSuccess, approved.Error?.Detail);
        return approved.Value;
    }

    private static Order Paid(int quantity = 2, bool delivery = false)
    {
        var order = Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", quantity, 1800)],
            delivery
                ? new Fulfillment.Delivery(new DeliveryAddress("88 Century Avenue", "Shanghai", new O2O.Domain.Stores.GeoPoint(31.23, 121.47)),
                    new Contact("Li Lei", "13800138000"))
                : new Fulfillment.PickupAt("S-001"),
            "S-001", T, TimeSpan.FromMinutes(15), agentCode: null, note: null, deliveryFeeFen: delivery ? 500 : 0);
        order.RecordPayment("wx-1", order.TotalFen, T);
        return order;
    }

    private static Order Accepted(bool delivery, int quantity = 2)
    {
        var order = Paid(quantity, delivery);
        order.Accept(T, "store:S-001");
        return order;
    }

    private static Order PickedUp()
    {
        var order = Accepted(delivery: false);
        order.MarkReady(T, "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        order.MarkPickedUp(T, "store:S-001");
        return order;
    }
}
