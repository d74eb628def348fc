using O2O.Domain.Dispatch;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <param name="HandOverFen">The value of what the store hands over (or handed over): the lines less the units refunded in the store.</param>
/// <param name="Refund">The order's own refund (a cancellation's); <paramref name="Refunds"/> lists it with every case's.</param>
/// <param name="RefundedFen">Every refund decided on the order's payment, its cases' and its own, whatever WeChat Pay has said of them yet.</param>
/// <param name="Quote">The courier's price at checkout (the brand's cost beside the buyer's fee): head office's view only.</param>
public sealed record OrderView(
    string OrderId, string Status, string Mode, string StoreId, IReadOnlyList<OrderLineView> Items, long ItemsTotalFen,
    long DeliveryFeeFen, long TotalFen, long HandOverFen, DateTimeOffset CreatedAt, DateTimeOffset PayBy, PaymentView Payment, RefundView? Refund,
    IReadOnlyList<OrderRefundView> Refunds, long RefundedFen, PickupView? Pickup, DeliveryView? Delivery,
    IReadOnlyList<TimelineView> Timeline, string? AgentCode, string? Note, string? CancelReason, OrderCenterView? OrderCenter,
    PromiseView? Promise, QuotedDelivery? Quote = null)
{
    /// <summary>The order as <paramref name="forConsumer"/> sees it: the pickup code is shown to the consumer only.</summary>
    public static OrderView From(Order order, bool forConsumer = true) => new(
        order.Id, order.Status.ToString(), ModeName(order.Mode), order.StoreId,
        order.Lines.Select(l => new OrderLineView(l.Sku, l.Name, l.Quantity, l.UnitPriceFen, l.LineTotalFen,
            order.RefundedUnits(l.Sku), l.Quantity - order.RefundedInStore(l.Sku))).ToList(),
        order.ItemsTotalFen, order.DeliveryFeeFen, order.TotalFen, order.HandOverFen, order.CreatedAt, order.PayBy,
        order.Payment is { } paid ? new PaymentView("Paid", paid.TransactionId) : new PaymentView("Unpaid", null),
        order.Refund is { } refund ? new RefundView(refund.Status.ToString(), refund.AmountFen) : null,
        [.. order.Refunds.Select(r => new OrderRefundView(r.OutRefundNo, order.Case(r.OutRefundNo)?.Id, r.AmountFen, r.Status.ToString()))],
        order.RefundedFen,
        order.Pickup is { } pickup ? PickupView.From(order.StoreId, pickup, shown: forConsumer && order.Status == OrderStatus.ReadyForPickup) : null,
        order.Fulfillment is Fulfillment.Delivery d ? DeliveryView.From(d, order.Delivery) : null,
        order.Timeline.Select(t => new TimelineView(t.At, t.Status.ToString(), t.By, t.Note)).ToList(),
        order.AgentCode, order.Note, order.CancelReason,
        order.OrderCenter is { } center ? new OrderCenterView(center.UploadedAt, center.ReceiptConfirmedAt, center.SettledAt) : null,
        PromiseView.From(order));

    /// <summary>The order as head office sees it: the buyer's phone in full, no pickup code, and the courier's quote.</summary>
    public static OrderView ForHeadOffice(Order order) =>
        From(order, forConsumer: false) with { Quote = order.Quote is { } q ? new QuotedDelivery(q.Provider, q.FeeFen, q.Minutes) : null };

    /// <summary>The order as its store's staff see it: no pickup code, the buyer's phone masked like a rider's.</summary>
    public static OrderView ForStore(Order order)
    {
        var view = From(order, forConsumer: false);
        return view.Delivery is { } delivery
            ? view with { Delivery = delivery with { Contact = delivery.Contact with { Phone = DeliveryIds.MaskPhone(delivery.Contact.Phone)! } } }
            : view;
    }

    public static string ModeName(FulfillmentMode mode) => mode == FulfillmentMode.Pickup ? "pickup" : "delivery";
}

/// <param name="Quantity">Units bought.</param>
/// <param name="RefundedQuantity">Units whose refund is decided by after-sales cases, before or after the handover.</param>
/// <param name="HandOverQuantity">Units the store hands over (or handed over): bought, less those refunded before they left the store.</param>
public sealed record OrderLineView(string Sku, string Name, int Quantity, long UnitPriceFen, long LineTotalFen, int RefundedQuantity, int HandOverQuantity);

public sealed record PaymentView(string Status, string? TransactionId);

/// <summary>
/// When the buyer was told to expect the order: the slot chosen (none: as soon as possible), ready by,
/// at the door by (delivery), and when the store should start on it (<paramref name="StartBy"/>, its queue's order);
/// then what became of it: the alerts raised (<paramref name="AtRisk"/>), when it was broken, how many minutes late it was kept.
/// </summary>
public sealed record PromiseView(DateTimeOffset? SlotStart, DateTimeOffset? SlotEnd, DateTimeOffset ReadyBy, DateTimeOffset? DeliveredBy,
    DateTimeOffset StartBy, IReadOnlyList<string> AtRisk, DateTimeOffset? BreachedAt, int? MinutesLate)
{
    public static PromiseView? From(Order order) => order.Promise is not { } promise ? null
        : new(promise.Slot?.Start, promise.Slot?.End, promise.ReadyBy, promise.DeliveredBy, promise.StartBy(),
            order.Watch.Raised, order.Watch.BreachedAt, order.Watch.MinutesLate);
}

public sealed record RefundView(string Status, long AmountFen);

/// <summary>One refund of the order's payment: its out_refund_no, the case it refunds (null for the order's own), its amount and status.</summary>
public sealed record OrderRefundView(string OutRefundNo, string? CaseId, long AmountFen, string Status);

/// <summary>The code, and the same as a QR payload for the clerk's scanner; both only to the consumer, only while ready.</summary>
public sealed record PickupView(string? Code, string? QrPayload, DateTimeOffset ExpiresAt)
{
    public static PickupView From(string storeId, PickupRecord pickup, bool shown) =>
        new(shown ? pickup.Code : null, shown ? PickupQr.Payload(storeId, pickup.Code) : null, pickup.ExpiresAt);
}

public sealed record DeliveryView(
    AddressView Address, ContactView Contact, string? Provider, string? Status, RiderView? Rider, bool Flagged)
{
    public static DeliveryView From(Fulfillment.Delivery d, DeliveryRecord? booking) => new(
        new AddressView(d.Address.Line, d.Address.City, d.Address.Location.Lat, d.Address.Location.Lng), new ContactView(d.Contact.Name, d.Contact.Phone),
        booking?.Provider, booking?.Provider is null ? null : booking.Status.ToString(),
        booking?.RiderName is null ? null : new RiderView(booking.RiderName, booking.RiderPhone, booking.RiderLat, booking.RiderLng),
        booking?.Flagged ?? false);
}

/// <summary>The rider as the consumer may see them: the phone number masked.</summary>
public sealed record RiderView(string Name, string? Phone, double? Lat, double? Lng);

public sealed record AddressView(string Line, string City, double Lat, double Lng);

public sealed record ContactView(string Name, string Phone);

public sealed record TimelineView(DateTimeOffset At, string Status, string By, string? Note);

public sealed record OrderSummaryView(string OrderId, string Status, string Mode, string StoreId, long TotalFen, DateTimeOffset CreatedAt);

public sealed record OrderPage(IReadOnlyList<OrderSummaryView> Items, string? ContinuationToken);

/// <summary>What POST /api/orders answers: the order, and whether this request created it or repeated an earlier one.</summary>
public sealed record PlacedOrder(OrderView Order, bool Replayed);

/// <summary>
/// What WeChat's order center holds of the order: when it took the shipping information, when the
/// buyer confirmed receipt, when the money settled.
/// </summary>
public sealed record OrderCenterView(DateTimeOffset? ShippingUploadedAt, DateTimeOffset? ReceiptConfirmedAt, DateTimeOffset? SettledAt);
