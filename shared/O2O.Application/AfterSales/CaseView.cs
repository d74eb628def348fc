using O2O.Domain.AfterSales;
using O2O.Domain.Orders;

namespace O2O.Application.AfterSales;

/// <summary>An after-sales case as the buyer, the store and head office see it.</summary>
/// <param name="Stage">One word for where the case stands (<see cref="AfterSalesCase.Stages"/>).</param>
/// <param name="AnswerBy">When the case next moves on its own: the store's silence approves it (or escalates it above the store's limit), head office's
/// silence rejects it, or the return time runs out.</param>
/// <param name="AskedWhile">The order's status when the buyer asked: whether the goods were still in the store.</param>
/// <param name="NeedsHeadOffice">The order's cases together refund more than the store may approve: only head office approves this one.</param>
/// <param name="EscalatedAt">When the store's time ran out on it and it went to head office.</param>
public sealed record CaseView(
    string CaseId, string OrderId, string StoreId, string Type, string Stage, string Review, string Goods, string Money,
    IReadOnlyList<CaseLineView> Lines, long LinesFen, long? RefundFen, string? RefundStatus, string Reason, string? Note, IReadOnlyList<string> Photos,
    DateTimeOffset RequestedAt, string AskedWhile, DateTimeOffset? AnswerBy, string? ReviewedBy, string? RejectReason, bool? Restocked, bool NeedsHeadOffice,
    DateTimeOffset? EscalatedAt)
{
    public static CaseView From(Order order, AfterSalesCase c, AfterSalesPolicy policy) => new(
        c.Id, order.Id, order.StoreId, c.Type.ToString().ToLowerInvariant(), c.Stage, c.Review.ToString(), c.Goods.ToString(), c.Money.ToString(),
        [.. c.Lines.Select(l => new CaseLineView(l.Sku, l.Name, l.Quantity, l.AmountFen))], c.LinesFen, c.Refund?.AmountFen, c.Refund?.Status.ToString(),
        c.Reason, c.Note, c.Photos, c.RequestedAt, c.OrderStatusAtRequest.ToString(), c.Deadline(policy), c.ReviewedBy, c.RejectReason, c.Restocked,
        order.NeedsHeadOffice(c, policy), c.EscalatedAt);
}

public sealed record CaseLineView(string Sku, string Name, int Quantity, long AmountFen);

public sealed record CasePage(IReadOnlyList<CaseView> Items, string? ContinuationToken);

/// <summary>What POST /api/orders/{id}/after-sales answers: the case, and whether this request opened it or repeated an earlier one.</summary>
public sealed record OpenedCase(CaseView Case, bool Replayed);

/// <summary>A store's or head office's answer to a case, as parsed from JSON.</summary>
public sealed record CaseAnswerInput(string? Reason, bool? Restock);
