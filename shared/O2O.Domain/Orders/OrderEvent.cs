namespace O2O.Domain.Orders;

/// <summary>
/// A domain event, written in the same transaction as the change it reports (outbox). Its id is
/// derived from the order and its sequence, so re-publishing it never makes a new event.
/// </summary>
public sealed record OrderEvent(string OrderId, int Sequence, string Type, DateTimeOffset OccurredAt, OrderEventData Data)
{
    public string EventId => $"{OrderId}.{Sequence:D4}";
}

public static class OrderEventTypes
{
    public const string Placed = "o2o.order.placed";
    public const string Cancelled = "o2o.order.cancelled";
    public const string Paid = "o2o.order.paid";
    public const string Accepted = "o2o.order.accepted";

    /// <summary>A store rejected the order (or let it wait too long) and it went to the next store that can serve it.</summary>
    public const string Rerouted = "o2o.order.rerouted";
    public const string ReadyForPickup = "o2o.order.ready_for_pickup";
    public const string PickedUp = "o2o.order.picked_up";

    /// <summary>The buyer confirmed receipt in WeChat's order center.</summary>
    public const string ReceiptConfirmed = "o2o.order.receipt_confirmed";

    /// <summary>WeChat settled the order's money to the merchant.</summary>
    public const string Settled = "o2o.order.settled";
    public const string PickupReminder = "o2o.pickup.reminder";
    public const string Dispatched = "o2o.delivery.dispatched";
    public const string CourierAssigned = "o2o.delivery.courier_assigned";
    public const string InTransit = "o2o.delivery.in_transit";
    public const string Delivered = "o2o.order.delivered";

    /// <summary>An alert: delivery failed and the rider is bringing the goods back to the store.</summary>
    public const string DeliveryReturning = "o2o.delivery.returning";

    /// <summary>An alert: no courier platform of the store could take the delivery; the store sees the order flagged.</summary>
    public const string DispatchFailed = "o2o.delivery.dispatch_failed";
    public const string RefundSucceeded = "o2o.refund.succeeded";

    /// <summary>An alert: WeChat Pay could not pay the refund back (ABNORMAL) or closed it (CLOSED); an operator acts.</summary>
    public const string RefundFailed = "o2o.refund.failed";

    /// <summary>An alert: WeChat Pay reported a payment that does not match the order (amount, currency, merchant).</summary>
    public const string PaymentRejected = "o2o.payment.rejected";

    public const string AfterSalesPrefix = "o2o.aftersales.";
    public const string AfterSalesRequested = "o2o.aftersales.requested";
    public const string AfterSalesApproved = "o2o.aftersales.approved";
    public const string AfterSalesRejected = "o2o.aftersales.rejected";

    /// <summary>The store's time ran out on a case above its approval limit: it waits for head office.</summary>
    public const string AfterSalesEscalated = "o2o.aftersales.escalated";
    public const string AfterSalesWithdrawn = "o2o.aftersales.withdrawn";

    /// <summary>The returned goods are back at the store; the case's refund is decided.</summary>
    public const string AfterSalesReceived = "o2o.aftersales.received";
    public const string AfterSalesRefunded = "o2o.aftersales.refunded";

    /// <summary>The buyer did not bring the goods back in time: the case closed without a refund.</summary>
    public const string AfterSalesClosed = "o2o.aftersales.closed";

    /// <summary>The order cannot plausibly keep its promise: not accepted when work should start, no rider when the goods are due, the rider late.</summary>
    public const string PromiseAtRisk = "o2o.order.promise_at_risk";

    /// <summary>The promised time passed with the goods not ready (pickup) or not delivered.</summary>
    public const string PromiseBreached = "o2o.order.promise_breached";
}

/// <summary>One entry of the order's timeline: when it reached a status, who moved it there, and why if that is not obvious.</summary>
public sealed record TimelineEntry(int Sequence, DateTimeOffset At, OrderStatus Status, string By, string? Note = null);
