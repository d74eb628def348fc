using System.Text.Json;
using O2O.Application.Storage;
using O2O.Domain.AfterSales;
using O2O.Domain.Agents;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.UnitTests.Orders;

/// <summary>
/// Every event an order raises, written as the outbox writes it: the data is the contract with
/// every subscriber of the topic, so its JSON may not change by accident.
/// </summary>
public sealed class OrderEventPayloadTests
{
    private static readonly DateTimeOffset T = StoredOrders.Now;

    [Fact]
    public void Every_event_writes_the_data_its_subscribers_read()
    {
        var payloads = Pickup().Concat(Rerouted()).Concat(Refunds()).Concat(Delivery()).Concat(Returned()).Concat(AfterSales()).Concat(Returns())
            .Select(e => $"{e.Type} {JsonSerializer.Serialize(e.Data, e.Data.GetType(), StorageJson.Options)}");

        Assert.Equal(Expected.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), payloads);
    }

    /// <summary>An agent's events are written by the commission ledger, not raised by an order; their data is a contract all the same.</summary>
    [Fact]
    public void Commission_and_withdrawal_events_write_the_data_finance_reads()
    {
        object[] data =
        [
            new CommissionChanged("A-1", "o-1", "reversed", -100, "Available", "o-1-a01"),
            new WithdrawalChanged("A-1", "wd0123", 299, "Failed", "1330000071100999991182020050700019480001"),
        ];

        Assert.Equal(
            [
                """{"agentId":"A-1","orderId":"o-1","kind":"reversed","amountFen":-100,"state":"Available","outRefundNo":"o-1-a01"}""",
                """{"agentId":"A-1","withdrawalId":"wd0123","amountFen":299,"state":"Failed","transferBillNo":"1330000071100999991182020050700019480001"}""",
            ],
            data.Select(d => JsonSerializer.Serialize(d, d.GetType(), StorageJson.Options)));
    }

    private const string Expected = """
        o2o.order.placed {"orderId":"o-1","storeId":"S-001","mode":"pickup","totalFen":3600,"deliveryFeeFen":0,"agentCode":"A-9","items":[{"sku":"TEA-001","quantity":2}],"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":null,"preparationMinutes":15,"rideMinutes":null},"quote":null}
        o2o.payment.rejected {"orderId":"o-1","transactionId":"wx-0","reason":"amount"}
        o2o.order.paid {"orderId":"o-1","storeId":"S-001","transactionId":"wx-1","amountFen":3600,"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":null,"preparationMinutes":15,"rideMinutes":null}}
        o2o.order.accepted {"orderId":"o-1","storeId":"S-001"}
        o2o.order.ready_for_pickup {"orderId":"o-1","storeId":"S-001","expiresAt":"2026-11-27T14:00:00+00:00"}
        o2o.pickup.reminder {"orderId":"o-1","storeId":"S-001","expiresAt":"2026-11-27T14:00:00+00:00"}
        o2o.order.picked_up {"orderId":"o-1","storeId":"S-001"}
        o2o.order.placed {"orderId":"o-2","storeId":"S-001","mode":"pickup","totalFen":3600,"deliveryFeeFen":0,"agentCode":null,"items":[{"sku":"TEA-001","quantity":2}],"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":null,"preparationMinutes":15,"rideMinutes":null},"quote":null}
        o2o.order.paid {"orderId":"o-2","storeId":"S-001","transactionId":"wx-2","amountFen":3600,"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":null,"preparationMinutes":15,"rideMinutes":null}}
        o2o.order.rerouted {"orderId":"o-2","fromStoreId":"S-001","storeId":"S-002","reason":"busy"}
        o2o.order.cancelled {"orderId":"o-2","storeId":"S-002","reason":"no store could take the order (last: closed)","refundFen":3600}
        o2o.order.placed {"orderId":"o-3","storeId":"S-001","mode":"pickup","totalFen":3600,"deliveryFeeFen":0,"agentCode":null,"items":[{"sku":"TEA-001","quantity":2}],"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":null,"preparationMinutes":15,"rideMinutes":null},"quote":null}
        o2o.order.paid {"orderId":"o-3","storeId":"S-001","transactionId":"wx-3","amountFen":3600,"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":null,"preparationMinutes":15,"rideMinutes":null}}
        o2o.order.cancelled {"orderId":"o-3","storeId":"S-001","reason":"changed my mind","refundFen":3600}
        o2o.refund.failed {"orderId":"o-3","storeId":"S-001","outRefundNo":"o-3-r","amountFen":3600,"status":"Abnormal"}
        o2o.refund.succeeded {"orderId":"o-3","outRefundNo":"o-3-r","amountFen":3600}
        o2o.order.placed {"orderId":"o-4","storeId":"S-001","mode":"delivery","totalFen":4100,"deliveryFeeFen":500,"agentCode":null,"items":[{"sku":"TEA-001","quantity":2}],"promise":{"slot":{"start":"2026-11-27T14:00:00+00:00","end":"2026-11-27T14:30:00+00:00"},"readyBy":"2026-11-27T13:35:00+00:00","deliveredBy":"2026-11-27T14:30:00+00:00","preparationMinutes":15,"rideMinutes":25},"quote":{"provider":"sf","feeFen":850,"minutes":25}}
        o2o.order.paid {"orderId":"o-4","storeId":"S-001","transactionId":"wx-4","amountFen":4100,"promise":{"slot":{"start":"2026-11-27T14:00:00+00:00","end":"2026-11-27T14:30:00+00:00"},"readyBy":"2026-11-27T13:35:00+00:00","deliveredBy":"2026-11-27T14:30:00+00:00","preparationMinutes":15,"rideMinutes":25}}
        o2o.order.accepted {"orderId":"o-4","storeId":"S-001"}
        o2o.delivery.dispatched {"orderId":"o-4","storeId":"S-001","readyBy":"2026-11-27T13:35:00+00:00"}
        o2o.delivery.courier_assigned {"orderId":"o-4","storeId":"S-001","provider":"dada","rider":"Wang"}
        o2o.delivery.dispatched {"orderId":"o-4","storeId":"S-001","reason":"dada cancelled: no rider"}
        o2o.delivery.dispatch_failed {"orderId":"o-4","storeId":"S-001","tried":["dada"]}
        o2o.delivery.courier_assigned {"orderId":"o-4","storeId":"S-001","provider":"sf","rider":"Wang"}
        o2o.delivery.in_transit {"orderId":"o-4","storeId":"S-001","provider":"sf","rider":"Wang"}
        o2o.order.delivered {"orderId":"o-4","storeId":"S-001","provider":"sf","rider":"Wang"}
        o2o.order.placed {"orderId":"o-5","storeId":"S-001","mode":"delivery","totalFen":4100,"deliveryFeeFen":500,"agentCode":null,"items":[{"sku":"TEA-001","quantity":2}],"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":"2026-11-27T12:40:00+00:00","preparationMinutes":15,"rideMinutes":25},"quote":null}
        o2o.order.paid {"orderId":"o-5","storeId":"S-001","transactionId":"wx-5","amountFen":4100,"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":"2026-11-27T12:40:00+00:00","preparationMinutes":15,"rideMinutes":25}}
        o2o.order.accepted {"orderId":"o-5","storeId":"S-001"}
        o2o.delivery.dispatched {"orderId":"o-5","storeId":"S-001","readyBy":null}
        o2o.delivery.in_transit {"orderId":"o-5","storeId":"S-001","provider":"sf","rider":"Wang"}
        o2o.delivery.returning {"orderId":"o-5","storeId":"S-001","provider":"sf","reason":"nobody home"}
        o2o.delivery.dispatched {"orderId":"o-5","storeId":"S-001","reason":"returned; delivering again"}
        o2o.delivery.in_transit {"orderId":"o-5","storeId":"S-001","provider":"dada","rider":"Wang"}
        o2o.order.cancelled {"orderId":"o-5","storeId":"S-001","reason":"undeliverable: returned to the store","refundFen":4100}
        o2o.order.placed {"orderId":"o-6","storeId":"S-001","mode":"delivery","totalFen":4100,"deliveryFeeFen":500,"agentCode":null,"items":[{"sku":"TEA-001","quantity":2}],"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":"2026-11-27T12:40:00+00:00","preparationMinutes":15,"rideMinutes":25},"quote":null}
        o2o.order.paid {"orderId":"o-6","storeId":"S-001","transactionId":"wx-6","amountFen":4100,"promise":{"slot":null,"readyBy":"2026-11-27T12:15:00+00:00","deliveredBy":"2026-11-27T12:40:00+00:00","preparationMinutes":15,"rideMinutes":25}}
        o2o.order.accepted {"orderId":"o-6","storeId":"S-001"}
        o2o.aftersales.requested {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a01","type":"refund","stage":"Requested","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":"too sweet"}
        o2o.aftersales.rejected {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a01","type":"refund","stage":"Rejected","amountFen":0,"items":[{"sku":"TEA-001","quantity":1}],"reason":"made as ordered"}
        o2o.aftersales.approved {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a01","type":"refund","stage":"Refunding","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.aftersales.refunded {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a01","type":"refund","stage":"Refunded","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.aftersales.requested {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a02","type":"refund","stage":"Requested","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":"changed my mind"}
        o2o.aftersales.withdrawn {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a02","type":"refund","stage":"Withdrawn","amountFen":0,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.aftersales.requested {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a03","type":"refund","stage":"Requested","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":"changed my mind"}
        o2o.aftersales.approved {"orderId":"o-6","storeId":"S-001","caseId":"o-6-a03","type":"refund","stage":"Refunding","amountFen":2300,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.order.cancelled {"orderId":"o-6","storeId":"S-001","reason":"every unit refunded by after-sales","refundFen":null}
        o2o.refund.failed {"orderId":"o-6","storeId":"S-001","outRefundNo":"o-6-a03","amountFen":2300,"status":"Closed"}
        o2o.aftersales.requested {"orderId":"o-7","storeId":"S-001","caseId":"o-7-a01","type":"return","stage":"Requested","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":"broken lid"}
        o2o.aftersales.approved {"orderId":"o-7","storeId":"S-001","caseId":"o-7-a01","type":"return","stage":"AwaitingReturn","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.aftersales.received {"orderId":"o-7","storeId":"S-001","caseId":"o-7-a01","type":"return","stage":"Refunding","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.aftersales.requested {"orderId":"o-7","storeId":"S-001","caseId":"o-7-a02","type":"return","stage":"Requested","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":"broken lid"}
        o2o.aftersales.approved {"orderId":"o-7","storeId":"S-001","caseId":"o-7-a02","type":"return","stage":"AwaitingReturn","amountFen":1800,"items":[{"sku":"TEA-001","quantity":1}],"reason":null}
        o2o.aftersales.closed {"orderId":"o-7","storeId":"S-001","caseId":"o-7-a02","type":"return","stage":"Closed","amountFen":0,"items":[{"sku":"TEA-001","quantity":1}],"reason":"the goods were not returned in time"}
        """;

    private static IEnumerable<OrderEvent> Pickup()
    {
        var order = Place("o-1", new Fulfillment.PickupAt("S-001"), agentCode: "A-9");
        order.RejectPayment("wx-0", "amount", T);
        order.RecordPayment("wx-1", order.TotalFen, T);
        order.Accept(T, "store:S-001");
        order.MarkReady(T, "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        order.RemindPickup(T.AddHours(1));
        order.MarkPickedUp(T, "store:S-001");
        return order.NewEvents;
    }

    private static IEnumerable<OrderEvent> Rerouted()
    {
        var order = Place("o-2", new Fulfillment.PickupAt("S-001"));
        order.RecordPayment("wx-2", order.TotalFen, T);
        order.Reject(T, "store:S-001", "busy", "S-002");
        order.Reject(T, "store:S-002", "closed", nextStoreId: null);
        return order.NewEvents;
    }

    private static IEnumerable<OrderEvent> Refunds()
    {
        var order = Place("o-3", new Fulfillment.PickupAt("S-001"));
        order.RecordPayment("wx-3", order.TotalFen, T);
        order.Cancel(T, "consumer", "changed my mind");
        order.RecordRefundStatus("o-3-r", RefundStatus.Abnormal, "r-1", T);
        order.RecordRefundStatus("o-3-r", RefundStatus.Succeeded, "r-1", T);
        return order.NewEvents;
    }

    private static IEnumerable<OrderEvent> Delivery()
    {
        var order = Place("o-4", Address(), slot: new Slot(T.AddHours(2), T.AddHours(2.5)), quote: new CourierQuote("sf", 850, 1200, 25));
        order.RecordPayment("wx-4", order.TotalFen, T);
        order.Accept(T, "store:S-001", readyBy: T.AddMinutes(20));
        Book(order, "dada");
        Courier(order, "dada", CourierStatus.Assigned);
        order.AbandonBooking("dada", "dada cancelled: no rider", T);
        order.FlagUndispatchable(T);
        Book(order, "sf");
        Courier(order, "sf", CourierStatus.Assigned);
        Courier(order, "sf", CourierStatus.InTransit);
        Courier(order, "sf", CourierStatus.Delivered);
        return order.NewEvents;
    }

    private static IEnumerable<OrderEvent> Returned()
    {
        var order = Place("o-5", Address());
        order.RecordPayment("wx-5", order.TotalFen, T);
        order.Accept(T, "store:S-001");
        order.MarkReady(T, "store:S-001", () => throw new InvalidOperationException("a delivery has no pickup code"));
        Book(order, "sf");
        Courier(order, "sf", CourierStatus.InTransit);
        Courier(order, "sf", CourierStatus.Returning, reason: "nobody home");
        Courier(order, "sf", CourierStatus.Returned, reason: "nobody home", redeliver: true);
        Book(order, "dada");
        Courier(order, "dada", CourierStatus.InTransit);
        Courier(order, "dada", CourierStatus.Returned, reason: "refused", redeliver: true);
        return order.NewEvents;
    }

    private static IEnumerable<OrderEvent> AfterSales()
    {
        var order = Place("o-6", Address());
        order.RecordPayment("wx-6", order.TotalFen, T);
        order.Accept(T, "store:S-001");
        var refund = order.RequestAfterSales(new AfterSalesInput("refund", [new LineInput("TEA-001", 1)], "too sweet", null, null),
            "k-1", "h-1", T, AfterSalesPolicy.Default).Value!;
        order.RejectAfterSales(refund.Id, T, "store:S-001", "made as ordered", headOffice: false);
        order.ApproveAfterSales(refund.Id, T, "headoffice", AfterSalesPolicy.Default, headOffice: true);
        order.RecordRefundStatus(refund.Id, RefundStatus.Succeeded, "r-6", T);
        var last = order.RequestAfterSales(new AfterSalesInput("refund", [new LineInput("TEA-001", 1)], "changed my mind", null, null),
            "k-2", "h-2", T, AfterSalesPolicy.Default).Value!;
        order.WithdrawAfterSales(last.Id, T, "consumer");
        var again = order.RequestAfterSales(new AfterSalesInput("refund", [new LineInput("TEA-001", 1)], "changed my mind", null, null),
            "k-3", "h-3", T, AfterSalesPolicy.Default).Value!;
        order.ApplyAfterSalesDeadlines(T + AfterSalesPolicy.Default.StoreAnswer, AfterSalesPolicy.Default);
        order.RecordRefundStatus(again.Id, RefundStatus.Closed, "r-7", T);
        return order.NewEvents;
    }

    private static IEnumerable<OrderEvent> Returns()
    {
        var order = Place("o-7", new Fulfillment.PickupAt("S-001"));
        order.RecordPayment("wx-7", order.TotalFen, T);
        order.Accept(T, "store:S-001");
        order.MarkReady(T, "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        order.MarkPickedUp(T, "store:S-001");
        var back = order.RequestAfterSales(new AfterSalesInput("return", [new LineInput("TEA-001", 1)], "broken lid", null, null),
            "k-1", "h-1", T, AfterSalesPolicy.Default).Value!;
        order.ApproveAfterSales(back.Id, T, "store:S-001", AfterSalesPolicy.Default, headOffice: false);
        order.ReceiveReturn(back.Id, T, "store:S-001", restock: false);
        var never = order.RequestAfterSales(new AfterSalesInput("return", [new LineInput("TEA-001", 1)], "broken lid", null, null),
            "k-2", "h-2", T, AfterSalesPolicy.Default).Value!;
        order.ApproveAfterSales(never.Id, T, "store:S-001", AfterSalesPolicy.Default, headOffice: false);
        order.ApplyAfterSalesDeadlines(T + AfterSalesPolicy.Default.ReturnTime, AfterSalesPolicy.Default);
        return order.NewEvents.Skip(5);
    }

    private static void Book(Order order, string provider)
    {
        order.BeginBooking(provider, T);
        order.RecordBooking(provider, $"{provider}-{order.Delivery!.Attempt}");
    }

    private static void Courier(Order order, string provider, CourierStatus status, string? reason = null, bool redeliver = false) =>
        order.ApplyCourierUpdate(new CourierUpdate(provider, order.Delivery!.DeliveryId(order.Id)!, null, status, T, RiderName: "Wang", Reason: reason),
            T, redeliver);

    /// <summary>Placed for as soon as possible, or for <paramref name="slot"/>: prepared in 15 minutes, a delivery ridden in 25.</summary>
    private static Order Place(string id, Fulfillment fulfillment, string? agentCode = null, Slot? slot = null, CourierQuote? quote = null) =>
        Order.Place(id, "c-1", [new OrderLine("TEA-001", "Tea", 2, 1800)], fulfillment, "S-001", T, TimeSpan.FromMinutes(15), agentCode, note: null,
            deliveryFeeFen: fulfillment is Fulfillment.Delivery ? 500 : 0,
            promise: OrderPromise.Make(slot, T, 15, fulfillment is Fulfillment.Delivery ? 25 : null), quote: quote);

    private static Fulfillment.Delivery Address() =>
        new(new DeliveryAddress("1 Nanjing Rd", "Shanghai", new GeoPoint(31.2, 121.4)), new Contact("Li", "13800138000"));
}
