using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Domain.AfterSales;

public enum AfterSalesType
{
    /// <summary>Money back only: the goods stay where they are (in the store, or with the buyer).</summary>
    Refund,

    /// <summary>The buyer brings the goods back; the money follows when the store has them.</summary>
    Return,
}

/// <summary>Where the review of a case stands.</summary>
public enum CaseReview
{
    Requested,
    Approved,
    Rejected,

    /// <summary>The buyer took the case back.</summary>
    Withdrawn,
}

/// <summary>Where the goods of a case stand.</summary>
public enum CaseGoods
{
    /// <summary>Nothing to bring back: a refund-only case.</summary>
    NotNeeded,
    AwaitingReturn,
    Received,

    /// <summary>The return time ran out without the goods: the case closed with no refund.</summary>
    NotReturned,
}

/// <summary>Where the money of a case stands; follows its WeChat Pay refund.</summary>
public enum CaseMoney
{
    None,
    Requested,
    Processing,
    Refunded,

    /// <summary>WeChat Pay answered ABNORMAL or CLOSED: an alert, visible on the case.</summary>
    Failed,
}

/// <summary>Units of one order line in a case (its name as sold), and what the buyer paid for them.</summary>
public sealed record CaseLine(string Sku, string Name, int Quantity, long AmountFen);

/// <summary>
/// An after-sales case (售后单) of one order: some units of some lines, refund-only or
/// return-and-refund. Review, goods and money are three states kept apart. Its id is also its
/// WeChat Pay out_refund_no, so asking again can never refund twice.
/// </summary>
public sealed record AfterSalesCase(
    string Id, AfterSalesType Type, IReadOnlyList<CaseLine> Lines, string Reason, string? Note, IReadOnlyList<string> Photos,
    string IdempotencyKey, string RequestHash, DateTimeOffset RequestedAt, OrderStatus OrderStatusAtRequest)
{
    public CaseReview Review { get; init; } = CaseReview.Requested;
    public CaseGoods Goods { get; init; } = CaseGoods.NotNeeded;
    public DateTimeOffset? ReviewedAt { get; init; }
    public string? ReviewedBy { get; init; }
    public string? RejectReason { get; init; }

    /// <summary>Whether the units were still in the store when the case was approved: they go back on sale then.</summary>
    public bool UnitsInStore { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>When the store's time ran out on a case it may not approve: from then on it waits for head office only.</summary>
    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>Returned units the store put back on sale (true) or counted as damaged (false).</summary>
    public bool? Restocked { get; init; }

    /// <summary>The case's WeChat Pay refund, once decided; its out_refund_no is the case id.</summary>
    public RefundRecord? Refund { get; init; }

    public long LinesFen => Lines.Sum(l => l.AmountFen);

    public CaseMoney Money => Refund?.Status switch
    {
        null => CaseMoney.None,
        RefundStatus.Pending => CaseMoney.Requested,
        RefundStatus.Processing => CaseMoney.Processing,
        RefundStatus.Succeeded => CaseMoney.Refunded,
        _ => CaseMoney.Failed,
    };

    /// <summary>Waiting for someone: the store's answer, or the goods. While a case is open, the order is not handed over.</summary>
    public bool IsOpen => Review == CaseReview.Requested || (Review == CaseReview.Approved && Goods == CaseGoods.AwaitingReturn);

    /// <summary>The case's units are refunded or may be: they cannot be asked for again.</summary>
    public bool ClaimsUnits => Review is CaseReview.Requested or CaseReview.Approved && Goods != CaseGoods.NotReturned;

    /// <summary>One word for where the case stands, for lists and filters.</summary>
    public string Stage => (Review, Goods, Money) switch
    {
        (CaseReview.Requested, _, _) => "Requested",
        (CaseReview.Rejected, _, _) => "Rejected",
        (CaseReview.Withdrawn, _, _) => "Withdrawn",
        (_, CaseGoods.AwaitingReturn, _) => "AwaitingReturn",
        (_, CaseGoods.NotReturned, _) => "Closed",
        (_, _, CaseMoney.Refunded) => "Refunded",
        (_, _, CaseMoney.Failed) => "RefundFailed",
        _ => "Refunding",
    };

    public static readonly IReadOnlyList<string> Stages = ["Requested", "AwaitingReturn",
        "Refunding", "Refunded", "RefundFailed", "Rejected", "Withdrawn", "Closed"];

    // The case's own transitions: what it allows from where it stands. What depends on the whole
    // order (the store's limit, whether the refund fits in what was paid, where the goods are) is
    // the order's to decide (Order.AfterSales.cs). Asked again for where it is, a case answers itself.

    /// <summary>Approved by someone who may (head office may overturn a rejection); a return then waits for its goods.</summary>
    public Result<AfterSalesCase> Approve(DateTimeOffset at, string by, bool headOffice, bool unitsInStore)
    {
        if (Review == CaseReview.Approved) return this;
        if (Review == CaseReview.Withdrawn || (Review == CaseReview.Rejected && !headOffice))
            return new Error(ErrorCodes.InvalidTransition, $"A case that is {Review} cannot be approved.");
        return this with
        {
            Review = CaseReview.Approved,
            ReviewedAt = at,
            ReviewedBy = by,
            RejectReason = null,
            UnitsInStore = unitsInStore,
            Goods = Type == AfterSalesType.Return ? CaseGoods.AwaitingReturn : CaseGoods.NotNeeded,
        };
    }

    /// <summary>Turned down with a reason: while it waits for an answer, or by head office while a return's goods are awaited.</summary>
    public Result<AfterSalesCase> Reject(DateTimeOffset at, string by, string? reason, bool headOffice)
    {
        if (Review == CaseReview.Rejected) return this;
        if (new ValidationErrors().RequireText("reason", reason, AfterSalesInput.MaxReasonLength) is { IsEmpty: false } errors) return errors.ToError();
        if (Review != CaseReview.Requested && !(headOffice && this is { Review: CaseReview.Approved, Goods: CaseGoods.AwaitingReturn }))
            return new Error(ErrorCodes.InvalidTransition, $"A case that is {Stage} cannot be rejected.");
        return this with { Review = CaseReview.Rejected, ReviewedAt = at, ReviewedBy = by, RejectReason = reason!.Trim(), Goods = CaseGoods.NotNeeded };
    }

    /// <summary>Taken back by the buyer while it still waits for the store or for the goods.</summary>
    public Result<AfterSalesCase> Withdraw(DateTimeOffset at, string by)
    {
        if (Review == CaseReview.Withdrawn) return this;
        if (!IsOpen) return new Error(ErrorCodes.InvalidTransition, $"A case that is {Stage} cannot be withdrawn.");
        return this with { Review = CaseReview.Withdrawn, ReviewedAt = at, ReviewedBy = by, Goods = CaseGoods.NotNeeded };
    }

    /// <summary>A return's goods are back at the counter, on sale again (<paramref name="restock"/>) or damaged.</summary>
    public Result<AfterSalesCase> Receive(DateTimeOffset at, bool restock)
    {
        if (Goods == CaseGoods.Received) return this;
        if (this is not { Review: CaseReview.Approved, Goods: CaseGoods.AwaitingReturn })
            return new Error(ErrorCodes.InvalidTransition, $"A case that is {Stage} has no goods to receive.");
        return this with { Goods = CaseGoods.Received, ReceivedAt = at, Restocked = restock };
    }

    /// <summary>The store's time ran out on a case it may not approve: it waits for head office from now.</summary>
    public AfterSalesCase Escalate(DateTimeOffset at) => this with { EscalatedAt = at };

    /// <summary>The return time ran out without the goods: closed, with no refund.</summary>
    public AfterSalesCase CloseNotReturned() => this with { Goods = CaseGoods.NotReturned };

    /// <summary>When the case next needs the deadline sweep: the store's or head office's answer, or the goods' return; null when it waits for none.</summary>
    public DateTimeOffset? Deadline(AfterSalesPolicy policy) => (Review, Goods) switch
    {
        (CaseReview.Requested, _) when EscalatedAt is { } escalated => escalated + policy.HeadOfficeAnswer,
        (CaseReview.Requested, _) => RequestedAt + policy.StoreAnswer,
        (CaseReview.Approved, CaseGoods.AwaitingReturn) => ReviewedAt + policy.ReturnTime,
        _ => null,
    };
}

/// <summary>
/// Case ids carry their order's id and the case's number, so a refund notification, a store's
/// action or the deadline sweep finds the order without a lookup: "{orderId}-a01". 34 characters of
/// [0-9a-z-]: a valid WeChat Pay out_refund_no (at most 64 of [0-9A-Za-z_-|*@]).
/// </summary>
public static class AfterSalesIds
{
    private const string Infix = "-a";

    public static string For(string orderId, int number) => $"{orderId}{Infix}{number:D2}";

    public static string? OrderIdOf(string caseId)
    {
        var at = caseId.Length - Infix.Length - 2;
        if (at <= 0 || string.CompareOrdinal(caseId, at, Infix, 0, Infix.Length) != 0 || !char.IsAsciiDigit(caseId[^1]) || !char.IsAsciiDigit(caseId[^2]))
            return null;
        var orderId = caseId[..at];
        return OrderIds.ConsumerKeyOf(orderId) is null ? null : orderId;
    }
}

/// <summary>The brand's after-sales rules (settings AfterSales__*).</summary>
/// <param name="StoreApprovalLimitFen">The most a store may approve in refunds of one order, all its cases together (approved and pending).</param>
/// <param name="HeadOfficeAnswerHours">Hours head office has to answer a case escalated to it; its silence rejects the case.</param>
public sealed record AfterSalesPolicy(int WindowDays, int StoreAnswerHours, int ReturnDays, long StoreApprovalLimitFen, int HeadOfficeAnswerHours = 72)
{
    public static readonly AfterSalesPolicy Default = new(7, 48, 7, 50_000, 72);

    public const string HeadOfficeSilenceReason = "Head office did not answer in time; ask again or contact the brand.";

    /// <summary>How long after pickup or delivery a buyer may still open a case.</summary>
    public TimeSpan Window => TimeSpan.FromDays(WindowDays);
    public TimeSpan StoreAnswer => TimeSpan.FromHours(StoreAnswerHours);
    public TimeSpan ReturnTime => TimeSpan.FromDays(ReturnDays);
    public TimeSpan HeadOfficeAnswer => TimeSpan.FromHours(HeadOfficeAnswerHours);
}
