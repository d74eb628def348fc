using O2O.Domain.Common;

namespace O2O.Domain.Orders;

/// <summary>
/// The order aggregate. It decides its own transitions; each one appends to the timeline and
/// raises the event that storage writes in the same transaction.
/// </summary>
public sealed class Order
{
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<OrderEvent> _newEvents = [];
    private int _eventsBefore;
    private int _timelineBefore;

    private Order(string id, string consumerKey, IReadOnlyList<OrderLine> lines, Fulfillment fulfillment, string storeId,
        DateTimeOffset createdAt, DateTimeOffset payBy, string? agentCode, string? note)
    {
        Id = id;
        ConsumerKey = consumerKey;
        Lines = lines;
        Fulfillment = fulfillment;
        StoreId = storeId;
        CreatedAt = createdAt;
        PayBy = payBy;
        AgentCode = agentCode;
        Note = note;
    }

    public string Id { get; }
    public string ConsumerKey { get; }
    public IReadOnlyList<OrderLine> Lines { get; }
    public Fulfillment Fulfillment { get; }
    public FulfillmentMode Mode => Fulfillment.Mode;
    public string StoreId { get; }
    public DateTimeOffset CreatedAt { get; }
    public DateTimeOffset PayBy { get; }
    public string? AgentCode { get; }
    public string? Note { get; }
    public OrderStatus Status { get; private set; }
    public string? CancelReason { get; private set; }
    public long ItemsTotalFen => Lines.Sum(l => l.LineTotalFen);

    /// <summary>Delivery fees are priced by the dispatch capability; until then an order carries none.</summary>
    public long DeliveryFeeFen => 0;

    public long TotalFen => ItemsTotalFen + DeliveryFeeFen;
    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>Events raised since the order was loaded or placed, to be written with it.</summary>
    public IReadOnlyList<OrderEvent> NewEvents => _newEvents;

    /// <summary>Timeline entries added since the order was loaded or placed.</summary>
    public IEnumerable<TimelineEntry> NewTimelineEntries => _timeline.Skip(_timelineBefore);

    public static Order Place(string id, string consumerKey, IReadOnlyList<OrderLine> lines, Fulfillment fulfillment, string storeId,
        DateTimeOffset now, TimeSpan unpaidTimeout, string? agentCode, string? note)
    {
        var order = new Order(id, consumerKey, lines, fulfillment, storeId, now, now + unpaidTimeout, agentCode, note);
        order.MoveTo(OrderStatus.PendingPayment, now, "consumer", OrderEventTypes.Placed, new Dictionary<string, object?>
        {
            ["orderId"] = id,
            ["storeId"] = storeId,
            ["mode"] = fulfillment.Mode.ToString().ToLowerInvariant(),
            ["totalFen"] = order.TotalFen,
            ["agentCode"] = agentCode,
            ["items"] = lines.Select(l => new Dictionary<string, object?> { ["sku"] = l.Sku, ["quantity"] = l.Quantity }).ToList(),
        });
        return order;
    }

    /// <summary>Rebuilds a stored order with <paramref name="eventsSoFar"/> events already in its outbox; it raises none.</summary>
    public static Order Restore(string id, string consumerKey, IReadOnlyList<OrderLine> lines, Fulfillment fulfillment, string storeId,
        DateTimeOffset createdAt, DateTimeOffset payBy, string? agentCode, string? note, OrderStatus status, string? cancelReason,
        IEnumerable<TimelineEntry> timeline, int eventsSoFar)
    {
        var order = new Order(id, consumerKey, lines, fulfillment, storeId, createdAt, payBy, agentCode, note)
        {
            Status = status, CancelReason = cancelReason, _eventsBefore = eventsSoFar,
        };
        order._timeline.AddRange(timeline.OrderBy(t => t.Sequence));
        order._timelineBefore = order._timeline.Count;
        return order;
    }

    /// <summary>
    /// The consumer (or the unpaid-order timer) cancels before the store has accepted. An illegal
    /// move is an explicit error the caller maps to 409 invalid_transition, never a silent no-op.
    /// </summary>
    public Result<Order> Cancel(DateTimeOffset at, string by, string reason)
    {
        if (Status != OrderStatus.PendingPayment)
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be cancelled here.");
        CancelReason = reason;
        MoveTo(OrderStatus.Cancelled, at, by, OrderEventTypes.Cancelled, new Dictionary<string, object?>
        {
            ["orderId"] = Id, ["storeId"] = StoreId, ["reason"] = reason,
        });
        return this;
    }

    private void MoveTo(OrderStatus status, DateTimeOffset at, string by, string eventType, IReadOnlyDictionary<string, object?> data)
    {
        Status = status;
        _timeline.Add(new TimelineEntry(_timeline.Count + 1, at, status, by));
        _newEvents.Add(new OrderEvent(Id, _eventsBefore + _newEvents.Count + 1, eventType, at, data));
    }
}
