namespace O2O.Domain.Orders;

/// <summary>
/// What an order event says, one record per kind. It is written camelCase as the CloudEvent's
/// data, so the names of these properties, in this order, are the contract with the topic's
/// subscribers (OrderEventPayloadTests pins them).
/// </summary>
public abstract record OrderEventData;

/// <param name="Promise">When the buyer was told to expect it; null only for orders placed before promises were made.</param>
/// <param name="Quote">A delivery's courier quote (what it costs the brand, for margin reports); null when no platform answered in time.</param>
public sealed record OrderPlaced(
    string OrderId, string StoreId, string Mode, long TotalFen, long DeliveryFeeFen, string? AgentCode, IReadOnlyList<PlacedItem> Items,
    OrderPromise? Promise, QuotedDelivery? Quote = null) : OrderEventData;

/// <summary>The courier platform that quoted a delivery at checkout, its price in fen, and its promised minutes where it gives them.</summary>
public sealed record QuotedDelivery(string Provider, long FeeFen, int? Minutes);

public sealed record PlacedItem(string Sku, int Quantity);

/// <param name="Promise">The promise counted again from payment ("as soon as possible" starts when the store gets the order).</param>
public sealed record OrderPaid(string OrderId, string StoreId, string TransactionId, long AmountFen, OrderPromise? Promise) : OrderEventData;

/// <summary>A payment WeChat Pay reported that does not match the order: an alert.</summary>
public sealed record PaymentRejected(string OrderId, string TransactionId, string Reason) : OrderEventData;

/// <summary>A step the store took: accepted, picked up.</summary>
public sealed record StoreStep(string OrderId, string StoreId) : OrderEventData;

/// <summary>A step WeChat's order center told of: the buyer confirmed receipt, or the money was settled, at <see cref="At"/>.</summary>
public sealed record OrderCenterStep(string OrderId, string StoreId, DateTimeOffset At) : OrderEventData;

public sealed record OrderRerouted(string OrderId, string FromStoreId, string StoreId, string Reason) : OrderEventData;

/// <summary>Ready for pickup, or a reminder: the code runs out at <see cref="ExpiresAt"/>.</summary>
public sealed record PickupDue(string OrderId, string StoreId, DateTimeOffset? ExpiresAt) : OrderEventData;

public sealed record OrderCancelled(string OrderId, string StoreId, string? Reason, long? RefundFen) : OrderEventData;

public sealed record RefundSucceeded(string OrderId, string OutRefundNo, long AmountFen) : OrderEventData;

/// <summary>WeChat Pay could not pay the refund back or closed it: an alert.</summary>
public sealed record RefundFailed(string OrderId, string StoreId, string OutRefundNo, long AmountFen, string Status) : OrderEventData;

/// <summary>The first dispatch: a rider is wanted by <see cref="ReadyBy"/> (null: now).</summary>
public sealed record DispatchRequested(string OrderId, string StoreId, DateTimeOffset? ReadyBy) : OrderEventData;

/// <summary>A dispatch again, after a platform gave up or the goods came back; consumers are not told again.</summary>
public sealed record Redispatched(string OrderId, string StoreId, string Reason) : OrderEventData;

/// <summary>No platform of the store took the delivery: an alert.</summary>
public sealed record DispatchFailed(string OrderId, string StoreId, IReadOnlyList<string> Tried) : OrderEventData;

/// <summary>The rider is bringing the goods back: an alert.</summary>
public sealed record DeliveryReturning(string OrderId, string StoreId, string Provider, string? Reason) : OrderEventData;

/// <summary>A rider assigned, on the way, or arrived.</summary>
public sealed record CourierProgress(string OrderId, string StoreId, string Provider, string? Rider) : OrderEventData;

/// <summary>A step of an after-sales case: requested, approved, rejected, withdrawn, goods received, refunded, closed.</summary>
public sealed record AfterSalesStep(
    string OrderId, string StoreId, string CaseId, string Type, string Stage, long AmountFen, IReadOnlyList<PlacedItem> Items, string? Reason) : OrderEventData;

/// <summary>
/// A promise at risk or broken: why (<see cref="PromiseChecks"/>), the promised moment at stake (ready by for a
/// pickup, delivered by for a delivery) and when it was seen; a breach seen later than its promise says by how much.
/// </summary>
public sealed record PromiseAlert(string OrderId, string StoreId, string Reason, DateTimeOffset PromisedAt, DateTimeOffset SeenAt) : OrderEventData;
