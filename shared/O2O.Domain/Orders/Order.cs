using O2O.Domain.Agents;
using O2O.Domain.Common;
using O2O.Domain.Dispatch;

namespace O2O.Domain.Orders;

/// <summary>
/// The order aggregate. It decides its own transitions; each one appends to the timeline and
/// raises the event that storage writes in the same transaction. The delivery sub-lifecycle
/// (booking a courier, the platform's updates) is in Order.Delivery.cs, the money in
/// Order.Payments.cs, after-sales in Order.AfterSales.cs.
/// </summary>
public sealed partial class Order
{
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<OrderEvent> _newEvents = [];
    private readonly List<string> _rejectedBy = [];
    private int _eventsBefore;
    private int _timelineBefore;

    private Order(string id, string consumerKey, IReadOnlyList<OrderLine> lines, Fulfillment fulfillment, string storeId,
        DateTimeOffset createdAt, DateTimeOffset payBy, string? agentCode, string? note, long deliveryFeeFen)
    {
        DeliveryFeeFen = deliveryFeeFen;
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
    /// <summary>The store that fulfils the order now; a rejection routes it to another.</summary>
    public string StoreId { get; private set; }

    /// <summary>Stores that rejected the order (or let it wait too long), in order; it is never routed back to them.</summary>
    public IReadOnlyList<string> RejectedBy => _rejectedBy;
    public DateTimeOffset CreatedAt { get; }
    public DateTimeOffset PayBy { get; }
    public string? AgentCode { get; }

    /// <summary>The agent (and parent) the order earns commission for, with each line's rates, frozen at checkout; null if none.</summary>
    public Attribution? Attribution { get; private init; }
    public string? Note { get; }
    public OrderStatus Status { get; private set; }
    public string? CancelReason { get; private set; }
    public PaymentRecord? Payment { get; private set; }
    public RefundRecord? Refund { get; private set; }

    /// <summary>The open WeChat Pay prepay, reused by a repeated pay request (WeChat keeps a prepay_id for two hours).</summary>
    public PrepayRecord? Prepay { get; private set; }

    /// <summary>The pickup code and until when the store holds the goods; set when the order is ready.</summary>
    public PickupRecord? Pickup { get; private set; }

    /// <summary>The courier booking of a delivery order; set when the order goes to dispatch.</summary>
    public DeliveryRecord? Delivery { get; private set; }

    /// <summary>When the buyer was told to expect it: made at checkout, counted again from payment for "as soon as possible".</summary>
    public OrderPromise? Promise { get; private set; }

    /// <summary>A delivery's courier quote taken at checkout: what the delivery costs the brand (margin reports), reused by the first booking.</summary>
    public CourierQuote? Quote { get; private init; }

    /// <summary>The last payment notification refused for this order (wrong amount, currency or merchant).</summary>
    public string? RejectedTransactionId { get; private set; }
    public long ItemsTotalFen => Lines.Sum(l => l.LineTotalFen);

    /// <summary>Priced at checkout by the store's tariff; a pickup order has none. A re-routed order keeps the fee it was paid with.</summary>
    public long DeliveryFeeFen { get; }

    public long TotalFen => ItemsTotalFen + DeliveryFeeFen;
    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>Events raised since the order was loaded or placed, to be written with it.</summary>
    public IReadOnlyList<OrderEvent> NewEvents => _newEvents;

    /// <summary>Whether anything changed since the order was loaded, so storage knows to write it.</summary>
    public bool Changed { get; private set; }

    /// <summary>Timeline entries added since the order was loaded or placed.</summary>
    public IEnumerable<TimelineEntry> NewTimelineEntries => _timeline.Skip(_timelineBefore);

    public static Order Place(string id, string consumerKey, IReadOnlyList<OrderLine> lines, Fulfillment fulfillment, string storeId,
        DateTimeOffset now, TimeSpan unpaidTimeout, string? agentCode, string? note, long deliveryFeeFen = 0, Attribution? attribution = null,
        OrderPromise? promise = null, CourierQuote? quote = null)
    {
        if (deliveryFeeFen < 0 || (deliveryFeeFen > 0 && fulfillment.Mode != FulfillmentMode.Delivery))
            throw new ArgumentOutOfRangeException(nameof(deliveryFeeFen), "Only a delivery order has a delivery fee, and it is never negative.");
        var order = new Order(id, consumerKey, lines, fulfillment, storeId, now,
            now + unpaidTimeout, agentCode, note, deliveryFeeFen)
        { Attribution = attribution, Promise = promise, Quote = quote };
        order.MoveTo(OrderStatus.PendingPayment, now, "consumer", OrderEventTypes.Placed, new OrderPlaced(
            id, storeId, fulfillment.Mode.ToString().ToLowerInvariant(), order.TotalFen, order.DeliveryFeeFen, agentCode,
            [.. lines.Select(l => new PlacedItem(l.Sku, l.Quantity))], promise,
            quote is null ? null : new QuotedDelivery(quote.Provider, quote.FeeFen, quote.Minutes)));
        return order;
    }

    /// <summary>Rebuilds a stored order with <see cref="OrderSnapshot.EventsSoFar"/> events already in its outbox; it raises none.</summary>
    public static Order Restore(OrderSnapshot stored)
    {
        var order = new Order(stored.Id, stored.ConsumerKey, stored.Lines, stored.Fulfillment, stored.StoreId, stored.CreatedAt, stored.PayBy,
            stored.AgentCode, stored.Note, stored.DeliveryFeeFen)
        {
            Status = stored.Status, CancelReason = stored.CancelReason, _eventsBefore = stored.EventsSoFar, Payment = stored.Payment,
            Refund = stored.Refund, Prepay = stored.Prepay, RejectedTransactionId = stored.RejectedTransactionId, Pickup = stored.Pickup,
            Delivery = stored.Delivery, Attribution = stored.Attribution, OrderCenter = stored.OrderCenter, Promise = stored.Promise,
            Watch = stored.Watch ?? PromiseWatch.None, Quote = stored.Quote,
        };
        order._timeline.AddRange(stored.Timeline.OrderBy(t => t.Sequence));
        order._cases.AddRange(stored.AfterSales.OrderBy(c => c.Id, StringComparer.Ordinal));
        order._rejectedBy.AddRange(stored.RejectedBy);
        order._timelineBefore = order._timeline.Count;
        return order;
    }

    /// <summary>
    /// The consumer (or the unpaid-order timer) cancels before the store has accepted. An illegal
    /// move is an explicit error the caller maps to 409 invalid_transition, never a silent no-op.
    /// </summary>
    public Result<Order> Cancel(DateTimeOffset at, string by, string reason)
    {
        if (Status is not (OrderStatus.PendingPayment or OrderStatus.Paid))
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be cancelled; ask the store.");
        CancelReason = reason;
        // A paid order is refunded (what its cases did not refund); the refund is requested once, under an id derived from the order.
        if (Status == OrderStatus.Paid) Refund = RemainderRefund(Payment!.AmountFen);
        MoveTo(OrderStatus.Cancelled, at, by, OrderEventTypes.Cancelled, new OrderCancelled(Id, StoreId, reason, Refund?.AmountFen));
        return this;
    }

    /// <summary>
    /// The payment deadline passed: only an order still waiting for payment is cancelled. One that
    /// was paid a moment ago (its notification won the race with the timer) is never touched.
    /// </summary>
    public Result<Order> ExpireUnpaid(DateTimeOffset at)
    {
        if (Status != OrderStatus.PendingPayment)
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} is not waiting for payment.");
        return Cancel(at, "system", "not paid in time");
    }

    /// <summary>
    /// The store takes a paid order on. A delivery order of a store that declares its preparation
    /// time goes to dispatch at once, for a rider to come when the goods will be ready
    /// (<paramref name="readyBy"/>). Accepting it again changes nothing.
    /// </summary>
    public Result<Order> Accept(DateTimeOffset at, string by, DateTimeOffset? readyBy = null)
    {
        if (Status == OrderStatus.Accepted || (Status == OrderStatus.Dispatching && Delivery?.ReadyBy is not null)) return this;
        if (Status != OrderStatus.Paid) return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be accepted.");
        MoveTo(OrderStatus.Accepted, at, by, OrderEventTypes.Accepted, new StoreStep(Id, StoreId));
        if (Mode == FulfillmentMode.Delivery && readyBy is not null) Dispatch(at, by, readyBy);
        return this;
    }

    /// <summary>Since when the order has waited for its current store to accept it; null unless it is waiting.</summary>
    public DateTimeOffset? AwaitingAcceptanceSince => Status == OrderStatus.Paid ? _timeline[^1].At : null;

    /// <summary>
    /// The store gives back an order it has not made ready yet (paid or accepted). It goes to
    /// <paramref name="nextStoreId"/> to be accepted there, or, when no other store can serve it,
    /// it is cancelled and refunded in full. The rejecting store is never offered it again.
    /// </summary>
    public Result<Order> Reject(DateTimeOffset at, string by, string reason, string? nextStoreId)
    {
        if (Status is not (OrderStatus.Paid or OrderStatus.Accepted))
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be rejected.");
        if (nextStoreId == StoreId || (nextStoreId is not null && _rejectedBy.Contains(nextStoreId)))
            throw new ArgumentException($"Order {Id} cannot go back to store {nextStoreId}, which rejected it.", nameof(nextStoreId));
        var fromStoreId = StoreId;
        _rejectedBy.Add(fromStoreId);
        if (nextStoreId is null)
        {
            CancelReason = $"no store could take the order (last: {reason})";
            WithdrawOpenCases(at);
            Refund = RemainderRefund(Payment!.AmountFen);
            MoveTo(OrderStatus.Cancelled, at, by, OrderEventTypes.Cancelled,
                new OrderCancelled(Id, fromStoreId, CancelReason, Refund?.AmountFen), note: reason);
            return this;
        }
        StoreId = nextStoreId;
        MoveTo(OrderStatus.Paid, at, by, OrderEventTypes.Rerouted, new OrderRerouted(Id, fromStoreId, nextStoreId, reason),
            note: $"{reason}; routed to store {nextStoreId}");
        return this;
    }

    /// <summary>
    /// The store has the goods ready: a pickup order waits for its consumer with a code, a delivery
    /// order goes to dispatch. Marking it ready again changes nothing.
    /// </summary>
    public Result<Order> MarkReady(DateTimeOffset at, string by, Func<PickupRecord> issuePickup)
    {
        if (Status is OrderStatus.ReadyForPickup or OrderStatus.Dispatching) return this;
        if (Status != OrderStatus.Accepted) return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be marked ready.");
        if (Mode == FulfillmentMode.Delivery)
        {
            if (HasOpenCase) return AfterSalesOpen;
            Dispatch(at, by, readyBy: null);
            return this;
        }
        Pickup = issuePickup();
        MoveTo(OrderStatus.ReadyForPickup, at, by, OrderEventTypes.ReadyForPickup, new PickupDue(Id, StoreId, Pickup.ExpiresAt));
        return this;
    }

    /// <remarks>A delivery for a window is ready when its promise says, however early the store accepted or finished it.</remarks>
    private void Dispatch(DateTimeOffset at, string by, DateTimeOffset? readyBy)
    {
        if (Promise is { Slot: not null } scheduled && scheduled.ReadyBy > (readyBy ?? at)) readyBy = scheduled.ReadyBy;
        Delivery = DeliveryRecord.New with { ReadyBy = readyBy };
        MoveTo(OrderStatus.Dispatching, at, by, OrderEventTypes.Dispatched, new DispatchRequested(Id, StoreId, readyBy));
    }

    /// <summary>The consumer never came: the order is cancelled and its payment refunded in full.</summary>
    public Result<Order> ExpirePickup(DateTimeOffset at)
    {
        if (Status != OrderStatus.ReadyForPickup) return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot expire.");
        CancelReason = "not collected in time";
        WithdrawOpenCases(at);
        if (Payment is not null) Refund = RemainderRefund(Payment.AmountFen);
        MoveTo(OrderStatus.Cancelled, at, "system", OrderEventTypes.Cancelled, new OrderCancelled(Id, StoreId, CancelReason, Refund?.AmountFen));
        return this;
    }

    /// <summary>Halfway through the hold time: an event the notification service turns into a reminder.</summary>
    public void RemindPickup(DateTimeOffset at)
    {
        if (Status == OrderStatus.ReadyForPickup)
            Raise(OrderEventTypes.PickupReminder, at, new PickupDue(Id, StoreId, Pickup?.ExpiresAt));
    }

    /// <summary>The consumer collected the goods; the code was checked by the caller. Again changes nothing.</summary>
    public Result<Order> MarkPickedUp(DateTimeOffset at, string by)
    {
        if (Status == OrderStatus.PickedUp) return this;
        if (Status != OrderStatus.ReadyForPickup) return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be picked up.");
        if (HasOpenCase) return AfterSalesOpen;
        MoveTo(OrderStatus.PickedUp, at, by, OrderEventTypes.PickedUp, new StoreStep(Id, StoreId));
        return this;
    }

    public static readonly Error AfterSalesOpen =
        new(ErrorCodes.AfterSalesOpen, "An after-sales case of this order waits for an answer: the goods are not handed over until it is settled.");

    private void MoveTo(OrderStatus status, DateTimeOffset at, string by, string eventType, OrderEventData data, string? note = null)
    {
        Status = status;
        _timeline.Add(new TimelineEntry(_timeline.Count + 1, at, status, by, note));
        NoteKept(at);
        Raise(eventType, at, data);
    }

    private void Raise(string eventType, DateTimeOffset at, OrderEventData data)
    {
        _newEvents.Add(new OrderEvent(Id, _eventsBefore + _newEvents.Count + 1, eventType, at, data));
        Changed = true;
    }
}
