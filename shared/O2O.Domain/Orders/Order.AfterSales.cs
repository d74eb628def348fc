using O2O.Domain.AfterSales;
using O2O.Domain.Common;

namespace O2O.Domain.Orders;

/// <summary>
/// After-sales (售后) of an order: cases of some units, refund-only or return-and-refund, each its
/// own WeChat Pay refund. They live in the order, so the order's one transaction decides whether a
/// refund still fits in what was paid and whether the goods may be handed over.
/// </summary>
public sealed partial class Order
{
    /// <summary>
    /// WeChat Pay allows 50 refunds per transaction, one of which is kept for the order's own
    /// (a cancellation refunds what the cases did not). 40 also keeps a cancellation that withdraws
    /// every open case, with an event each, within one transaction's 100 operations.
    /// </summary>
    public const int MaxCases = 40;

    public const string CancelledByAfterSales = "every unit refunded by after-sales";

    private readonly List<AfterSalesCase> _cases = [];
    private readonly HashSet<string> _casesChanged = new(StringComparer.Ordinal);

    public IReadOnlyList<AfterSalesCase> AfterSales => _cases;

    /// <summary>The cases changed since the order was loaded, for storage to write.</summary>
    public IEnumerable<AfterSalesCase> ChangedCases => _cases.Where(c => _casesChanged.Contains(c.Id));

    public AfterSalesCase? Case(string caseId) => _cases.Find(c => c.Id == caseId);

    /// <summary>A case waits for the store's answer or for the goods: the order is neither handed over nor dispatched meanwhile.</summary>
    public bool HasOpenCase => _cases.Exists(c => c.IsOpen);

    /// <summary>Decided refunds of cases, whatever WeChat Pay has said of them yet.</summary>
    public long CasesRefundFen => _cases.Sum(c => c.Refund?.AmountFen ?? 0);

    /// <summary>Every refund decided on the order's payment: its cases' and the order's own.</summary>
    public long RefundedFen => CasesRefundFen + (Refund?.AmountFen ?? 0);

    /// <summary>The goods are in the store: not yet handed over or dispatched.</summary>
    public bool GoodsInStore => Status is OrderStatus.Paid or OrderStatus.Accepted or OrderStatus.ReadyForPickup;

    public bool HandedOver => Status is OrderStatus.PickedUp or OrderStatus.Delivered;

    /// <summary>When the goods reached the buyer; the after-sales window runs from here.</summary>
    public DateTimeOffset? HandedOverAt => HandedOver ? _timeline.Last(t => t.Status == Status).At : null;

    /// <summary>What the order's cases refund or may yet refund (approved and pending): the sum a store's approval limit applies to.</summary>
    public long ClaimedFen => _cases.Where(c => c.ClaimsUnits).Sum(c => c.LinesFen);

    /// <summary>
    /// Whether approving <paramref name="c"/> is head office's call: the order's cases together
    /// (this one included) refund more than the store may approve. Per order, not per case, so a
    /// refund cannot be split into cases below the limit.
    /// </summary>
    public bool NeedsHeadOffice(AfterSalesCase c, AfterSalesPolicy policy) =>
        c.Review == CaseReview.Requested && ClaimedFen > policy.StoreApprovalLimitFen;

    /// <summary>Units of <paramref name="sku"/> the buyer may still ask for: bought, less those refunded or in a case that may refund them.</summary>
    public int ClaimableQuantity(string sku) =>
        Lines.Where(l => l.Sku == sku).Sum(l => l.Quantity) - _cases.Where(c => c.ClaimsUnits).SelectMany(c => c.Lines).Where(l => l.Sku == sku).Sum(l =>
            l.Quantity);

    /// <summary>Units of <paramref name="sku"/> refunded before they left the store: they are never handed over.</summary>
    public int RefundedInStore(string sku) =>
        _cases.Where(c => c is { Review: CaseReview.Approved, UnitsInStore: true }).SelectMany(c => c.Lines).Where(l => l.Sku == sku).Sum(l => l.Quantity);

    /// <summary>Units of <paramref name="sku"/> whose refund is decided, before or after they left the store.</summary>
    public int RefundedUnits(string sku) =>
        _cases.Where(c => c.Refund is not null).SelectMany(c => c.Lines).Where(l => l.Sku == sku).Sum(l => l.Quantity);

    /// <summary>What the store hands over (or handed over): each line less the units refunded before they left the store.</summary>
    public IReadOnlyList<OrderLine> LinesToHandOver =>
        [.. Lines.Select(l => l with { Quantity = l.Quantity - RefundedInStore(l.Sku) }).Where(l => l.Quantity > 0)];

    public IReadOnlyList<CartLine> UnitsToHandOver => [.. LinesToHandOver.Select(l => new CartLine(l.Sku, l.Quantity))];

    /// <summary>The value of the goods handed over, at the prices paid: what a courier carries.</summary>
    public long HandOverFen => LinesToHandOver.Sum(l => l.LineTotalFen);

    /// <summary>Every unit was refunded in the store: the order ended with nothing to hand over.</summary>
    public bool NothingToHandOver => Status == OrderStatus.Cancelled && LinesToHandOver.Count == 0;

    /// <summary>
    /// The store (up to its approval limit) or head office approves a case; head office may also
    /// overturn a store's rejection. A refund is decided at once; a return waits for the goods.
    /// Approving again changes nothing.
    /// </summary>
    public Result<AfterSalesCase> ApproveAfterSales(string caseId, DateTimeOffset at, string by, AfterSalesPolicy policy, bool headOffice)
    {
        if (Case(caseId) is not { } found) return CaseNotFound(caseId);
        return Approve(found, at, by, policy, headOffice);
    }

    private Result<AfterSalesCase> Approve(AfterSalesCase found, DateTimeOffset at, string by, AfterSalesPolicy policy, bool headOffice)
    {
        var approved = found.Approve(at, by, headOffice, unitsInStore: GoodsInStore);
        if (!approved.IsSuccess || approved.Value == found) return approved;
        if (!headOffice && NeedsHeadOffice(found, policy))
            return new Error(ErrorCodes.ApprovalLimitExceeded,
                $"The order's cases refund {ClaimedFen} fen in all, above the store's limit of " +
                    $"{policy.StoreApprovalLimitFen} fen: head office approves this one.");
        if (!GoodsInStore && !HandedOver) return new Error(ErrorCodes.InvalidTransition,
            $"An order that is {Status} is on its way; its case waits for delivery.");
        var decided = approved.Value;
        if (decided.Type == AfterSalesType.Refund)
        {
            var refund = RefundOf(decided);
            if (!refund.IsSuccess) return refund.Error;
            decided = decided with { Refund = refund.Value };
        }
        Put(decided);
        RaiseCase(OrderEventTypes.AfterSalesApproved, at, decided, decided.Refund?.AmountFen ?? decided.LinesFen, null);
        if (GoodsInStore && UnitsToHandOver.Count == 0)
        {
            // Nothing is left to hand over: the order ends here, its money already on its way back.
            CancelReason = CancelledByAfterSales;
            MoveTo(OrderStatus.Cancelled, at, by, OrderEventTypes.Cancelled, new OrderCancelled(Id, StoreId, CancelReason, null));
        }
        return decided;
    }

    /// <summary>
    /// The refund of a case: its lines, and the delivery fee once every unit of the order is refunded.
    /// Refunds never add up to more than was paid: a case that would is refused, nothing changed.
    /// </summary>
    private Result<RefundRecord> RefundOf(AfterSalesCase refunded)
    {
        var refundedUnits = _cases.Where(c => c.Refund is not null && c.Id != refunded.Id).SelectMany(c => c.Lines).Concat(refunded.Lines).ToList();
        var everyUnit = Lines.All(l => refundedUnits.Where(u => u.Sku == l.Sku).Sum(u => u.Quantity) >= l.Quantity);
        var amount = refunded.LinesFen + (everyUnit ? DeliveryFeeFen : 0);
        var paid = Payment?.AmountFen ?? 0;
        if (RefundedFen + amount > paid)
            return Error.Conflict($"Refunding {amount} fen would refund {RefundedFen + amount} fen of the {paid} fen paid.");
        return new RefundRecord(refunded.Id, amount, RefundStatus.Pending, null);
    }

    /// <summary>The store (or head office, also after the store approved a return still awaited) turns a case down. Again changes nothing.</summary>
    public Result<AfterSalesCase> RejectAfterSales(string caseId, DateTimeOffset at, string by, string? reason, bool headOffice) =>
        Move(caseId, c => c.Reject(at, by, reason, headOffice),
            rejected => RaiseCase(OrderEventTypes.AfterSalesRejected, at, rejected, 0, rejected.RejectReason));

    /// <summary>The buyer takes back a case still waiting for the store or for the goods. Again changes nothing.</summary>
    public Result<AfterSalesCase> WithdrawAfterSales(string caseId, DateTimeOffset at, string by) =>
        Move(caseId, c => c.Withdraw(at, by), withdrawn => RaiseCase(OrderEventTypes.AfterSalesWithdrawn, at, withdrawn, 0, null));

    /// <summary>The returned goods are back at the counter: the refund is decided. Again changes nothing.</summary>
    public Result<AfterSalesCase> ReceiveReturn(string caseId, DateTimeOffset at, string by, bool restock)
    {
        if (Case(caseId) is not { } found) return CaseNotFound(caseId);
        var received = found.Receive(at, restock);
        if (!received.IsSuccess || received.Value == found) return received;
        var refund = RefundOf(received.Value);
        if (!refund.IsSuccess) return refund.Error;
        var decided = received.Value with { Refund = refund.Value };
        Put(decided);
        RaiseCase(OrderEventTypes.AfterSalesReceived, at, decided, refund.Value.AmountFen, null);
        return decided;
    }

    /// <summary>A case's own move, recorded with its event when it moved; the case as it is when it was there already.</summary>
    private Result<AfterSalesCase> Move(string caseId, Func<AfterSalesCase, Result<AfterSalesCase>> move, Action<AfterSalesCase> raise)
    {
        if (Case(caseId) is not { } found) return CaseNotFound(caseId);
        var moved = move(found);
        if (!moved.IsSuccess || moved.Value == found) return moved;
        Put(moved.Value);
        raise(moved.Value);
        return moved.Value;
    }

    /// <summary>
    /// The deadlines: a store that did not answer in time has approved, within its limit; above it
    /// the case escalates to head office, whose silence in turn rejects it; a buyer who did not
    /// bring the goods back in time has let the case close. Returns how many cases moved.
    /// </summary>
    public int ApplyAfterSalesDeadlines(DateTimeOffset at, AfterSalesPolicy policy)
    {
        var moved = 0;
        foreach (var due in _cases.Where(c => c.Deadline(policy) <= at).ToList())
        {
            if (due.Review == CaseReview.Requested && due.EscalatedAt is not null)
            {
                if (RejectAfterSales(due.Id, at, "system", AfterSalesPolicy.HeadOfficeSilenceReason, headOffice: true).IsSuccess) moved++;
                continue;
            }
            if (due.Review == CaseReview.Requested && NeedsHeadOffice(Case(due.Id)!, policy))
            {
                var escalated = due.Escalate(at);
                Put(escalated);
                RaiseCase(OrderEventTypes.AfterSalesEscalated, at, escalated, escalated.LinesFen, null);
                moved++;
                continue;
            }
            if (due.Review == CaseReview.Requested)
            {
                if (Approve(Case(due.Id)!, at, "system", policy, headOffice: false).IsSuccess) moved++;
                continue;
            }
            var closed = due.CloseNotReturned();
            Put(closed);
            RaiseCase(OrderEventTypes.AfterSalesClosed, at, closed, 0, "the goods were not returned in time");
            moved++;
        }
        return moved;
    }

    /// <summary>An order that ends (cancelled) takes its open cases with it: its refund covers whatever they asked for.</summary>
    private void WithdrawOpenCases(DateTimeOffset at)
    {
        foreach (var open in _cases.Where(c => c.IsOpen).ToList()) WithdrawAfterSales(open.Id, at, "system");
    }

    /// <summary>What is left to refund when the order is cancelled: the payment, less what its cases refunded.</summary>
    private RefundRecord? RemainderRefund(long paidFen)
    {
        var remainder = paidFen - CasesRefundFen;
        return remainder > 0 ? new RefundRecord(RefundIds.For(Id), remainder, RefundStatus.Pending, null) : null;
    }

    private void Put(AfterSalesCase changed)
    {
        var at = _cases.FindIndex(c => c.Id == changed.Id);
        if (at < 0) _cases.Add(changed);
        else _cases[at] = changed;
        _casesChanged.Add(changed.Id);
        Changed = true;
    }

    private void RaiseCase(string eventType, DateTimeOffset at, AfterSalesCase changed, long amountFen, string? reason) =>
        Raise(eventType, at, new AfterSalesStep(Id, StoreId, changed.Id, changed.Type.ToString().ToLowerInvariant(), changed.Stage, amountFen,
            [.. changed.Lines.Select(l => new PlacedItem(l.Sku, l.Quantity))], reason));

    private static Error CaseNotFound(string caseId) => Error.NotFound($"There is no after-sales case '{caseId}'.");
}
