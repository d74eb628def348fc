namespace O2O.Domain.Orders;

/// <summary>
/// The order aggregate. It decides its own transitions; each one appends to the timeline and
/// raises the event that storage writes in the same transaction.
/// </summary>
public sealed class Order
{
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<OrderEvent> _newEvents = [];

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
    public long ItemsTotalFen => Lines.Sum(l => l.LineTotalFen);

    /// <summary>Delivery fees are priced by the dispatch capability; until then an order carries none.</summary>
    public long DeliveryFeeFen => 0;

    public long TotalFen => ItemsTotalFen + DeliveryFeeFen;
    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>Events raised since the order was loaded or placed, to be written with it.</summary>
    public IReadOnlyList<OrderEvent> NewEvents => _newEvents;

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

    /// <summary>Rebuilds a stored order; it raises no events.</summary>
    public static Order Restore(string id, string consumerKey, IReadOnlyList<OrderLine> lines, Fulfillment fulfillment, string storeId,
        DateTimeOffset createdAt, DateTimeOffset payBy, string? agentCode, string? note, OrderStatus status, IEnumerable<TimelineEntry> timeline)
    {
        var order = new Order(id, consumerKey, lines, fulfillment, storeId, createdAt, payBy, agentCode, note) { Status = status };
        order._timeline.AddRange(timeline.OrderBy(t => t.Sequence));
        return order;
    }

    private void MoveTo(OrderStatus status, DateTimeOffset at, string by, string eventType, IReadOnlyDictionary<string, object?> data)
    {
        Status = status;
        var sequence = _timeline.Count + 1;
        _timeline.Add(new TimelineEntry(sequence, at, status, by));
        _newEvents.Add(new OrderEvent(Id, sequence, eventType, at, data));
    }
}
