using O2O.Domain.AfterSales;
using O2O.Domain.Agents;
using O2O.Domain.Dispatch;

namespace O2O.Domain.Orders;

/// <summary>
/// A stored order as storage reads it back, for <see cref="Order.Restore"/>: what every order has
/// in the constructor, what only some orders have yet as init properties.
/// </summary>
public sealed record OrderSnapshot(
    string Id, string ConsumerKey, IReadOnlyList<OrderLine> Lines, Fulfillment Fulfillment, string StoreId,
    DateTimeOffset CreatedAt, DateTimeOffset PayBy, OrderStatus Status)
{
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    /// <summary>How many events the order's outbox already holds; the next one raised gets the next sequence.</summary>
    public int EventsSoFar { get; init; }

    public string? AgentCode { get; init; }
    public string? Note { get; init; }
    public string? CancelReason { get; init; }
    public long DeliveryFeeFen { get; init; }
    public OrderCenterRecord? OrderCenter { get; init; }
    public PrepayRecord? Prepay { get; init; }
    public PaymentRecord? Payment { get; init; }
    public string? RejectedTransactionId { get; init; }
    public RefundRecord? Refund { get; init; }
    public PickupRecord? Pickup { get; init; }
    public DeliveryRecord? Delivery { get; init; }

    public IReadOnlyList<AfterSalesCase> AfterSales { get; init; } = [];
    public Attribution? Attribution { get; init; }
    public OrderPromise? Promise { get; init; }
    public PromiseWatch? Watch { get; init; }
    public CourierQuote? Quote { get; init; }

    /// <summary>The stores that gave the order back, oldest first.</summary>
    public IReadOnlyList<string> RejectedBy { get; init; } = [];
}
