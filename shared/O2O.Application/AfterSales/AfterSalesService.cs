using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Pickup;
using O2O.Application.Platform;
using O2O.Application.Storage;
using O2O.Application.Stores;
using O2O.Domain.AfterSales;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.AfterSales;

/// <summary>
/// After-sales cases: the buyer opens and withdraws them, the store (within its approval limit)
/// or head office answers them, the store receives returned goods. Each is a change of the order
/// (<see cref="OrderChanges"/>): the case, its events and its refund decision are one transaction,
/// and the refund is asked of WeChat Pay under the case id. Then the case's stock step runs.
/// Before each change the order is marked due for the deadline sweep a few minutes later, which
/// finishes a step a crash interrupted and applies the deadlines.
/// </summary>
public sealed class AfterSalesService(
    OrderTable orders, OrderChanges changes, CaseStock caseStock, StockReservations reservations, AfterSalesDueTable due,
    PickupService pickups, Payments.RefundQueue refunds, IOptions<AfterSalesSettings> settings, TimeProvider clock)
{
    /// <summary>How soon after a change the sweep checks that its steps were done.</summary>
    public static readonly TimeSpan FollowUpAfter = TimeSpan.FromMinutes(5);

    private AfterSalesPolicy Policy => settings.Value.ToPolicy();

    public async Task<Result<OpenedCase>> RequestAsync(
        string consumerKey, string orderId, string? idempotencyKey, AfterSalesInput input, CancellationToken cancellationToken)
    {
        if (!IdempotencyKeys.IsUsable(idempotencyKey, "each case", out var badKey)) return badKey;
        var requestHash = IdempotencyKeys.RequestHash(input);
        // Another consumer's order is "not found", exactly like a missing one.
        var stored = await orders.FindOwnAsync(consumerKey, orderId, cancellationToken);
        if (stored is null) return OrderChanges.NotFound(orderId);
        var now = clock.GetUtcNow();
        // Decided on what was read first, so a refused request writes nothing at all.
        var repeat = stored.Order.AfterSales.FirstOrDefault(c => c.IdempotencyKey == idempotencyKey);
        var tried = stored.Order.RequestAfterSales(input, idempotencyKey, requestHash, now, Policy);
        if (!tried.IsSuccess) return tried.Error;
        if (repeat is not null) return new OpenedCase(View(stored.Order, tried.Value), Replayed: true);

        if (stored.Order is { Status: OrderStatus.ReadyForPickup, Pickup: { } pickup }
            && await pickups.HoldForCaseAsync(stored.Order.StoreId, pickup.Code, tried.Value.Id, cancellationToken) == PickupService.Hold.HandingOver)
            return Error.Conflict("The goods are being handed over at the counter right now; ask again in a moment.");
        await due.MarkAsync(orderId, now + FollowUpAfter, cancellationToken);
        var opened = await ChangeAsync(orderId,
            order => order.RequestAfterSales(input, idempotencyKey, requestHash, clock.GetUtcNow(), Policy), cancellationToken);
        return opened.IsSuccess ? new OpenedCase(opened.Value, Replayed: false) : opened.Error;
    }

    public async Task<Result<IReadOnlyList<CaseView>>> ListForOrderAsync(string consumerKey, string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindOwnAsync(consumerKey, orderId, cancellationToken);
        if (stored is null) return OrderChanges.NotFound(orderId);
        return stored.Order.AfterSales.Select(c => View(stored.Order, c)).ToList();
    }

    public Task<Result<CaseView>> WithdrawAsync(string consumerKey, string orderId, string caseId, CancellationToken cancellationToken) =>
        AfterSalesIds.OrderIdOf(caseId) != orderId || OrderIds.ConsumerKeyOf(orderId) != consumerKey
            ? Task.FromResult<Result<CaseView>>(CaseNotFound(caseId))
            : ChangeAsync(orderId, order => order.WithdrawAfterSales(caseId, clock.GetUtcNow(), "consumer"), cancellationToken);

    /// <param name="storeId">The store answering; null for head office, which may answer any case and approve above the store's limit.</param>
    public Task<Result<CaseView>> ApproveAsync(string? storeId, string caseId, CancellationToken cancellationToken) =>
        AnswerAsync(storeId, caseId,
            order => order.ApproveAfterSales(caseId, clock.GetUtcNow(), By(storeId), Policy, headOffice: storeId is null), cancellationToken);

    public Task<Result<CaseView>> RejectAsync(string? storeId, string caseId, CaseAnswerInput? input, CancellationToken cancellationToken) =>
        AnswerAsync(storeId, caseId,
            order => order.RejectAfterSales(caseId, clock.GetUtcNow(), By(storeId), input?.Reason, headOffice: storeId is null), cancellationToken);

    /// <summary>The returned goods are at the counter: back on sale (restock true) or counted as damaged (false), the store's choice.</summary>
    public async Task<Result<CaseView>> ReceiveAsync(string storeId, string caseId, CaseAnswerInput input, CancellationToken cancellationToken)
    {
        if (input.Restock is not { } restock) return Error.Validation("restock", "is required: true puts the units back on sale, false counts them as damaged");
        return await AnswerAsync(storeId, caseId, order => order.ReceiveReturn(caseId, clock.GetUtcNow(), By(storeId), restock), cancellationToken);
    }

    /// <summary>A case as head office sees it, or null: what the audit trail keeps as its state before an answer.</summary>
    public async Task<CaseView?> FindAsync(string caseId, CancellationToken cancellationToken)
    {
        var orderId = AfterSalesIds.OrderIdOf(caseId);
        var stored = orderId is null ? null : await orders.FindAsync(orderId, cancellationToken);
        return stored?.Order.Case(caseId) is { } found ? View(stored.Order, found) : null;
    }

    private static string By(string? storeId) => storeId is null ? "headoffice" : $"store:{storeId}";

    private async Task<Result<CaseView>> AnswerAsync(string? storeId, string caseId,
        Func<Order, Result<AfterSalesCase>> answer, CancellationToken cancellationToken)
    {
        var orderId = AfterSalesIds.OrderIdOf(caseId);
        var stored = orderId is null ? null : await orders.FindAsync(orderId, cancellationToken);
        // A store sees only its own orders' cases.
        if (stored?.Order.Case(caseId) is null || (storeId is not null && stored.Order.StoreId != storeId)) return CaseNotFound(caseId);
        await due.MarkAsync(orderId!, clock.GetUtcNow() + FollowUpAfter, cancellationToken);
        return await ChangeAsync(orderId!, answer, cancellationToken, stored);
    }

    /// <summary>Applies a change to the order and its cases, then the steps it calls for: stock, the refund request, a release of what is left.</summary>
    private async Task<Result<CaseView>> ChangeAsync(
        string orderId, Func<Order, Result<AfterSalesCase>> change, CancellationToken cancellationToken, OrderTable.StoredOrder? loaded = null)
    {
        Order? changed = null;
        Func<Order, Result<AfterSalesCase>> tracked = order =>
        {
            changed = order;
            return change(order);
        };
        var result = loaded is null
            ? await changes.ApplyAsync(orderId, tracked, cancellationToken)
            : await changes.ApplyAsync(loaded, tracked, cancellationToken);
        if (!result.IsSuccess) return result.Error;
        var order = changed!;
        await FinishStepsAsync(order, order.ChangedCases, cancellationToken);
        // The refunds this change decided; one whose request is lost is asked for by the refund reconciler (it was listed before the write).
        var cancelledNow = order.NewEvents.Any(e => e.Type == OrderEventTypes.Cancelled);
        foreach (var refund in order.ChangedCases.Select(c => c.Refund).Append(cancelledNow ? order.Refund : null))
            if (refund is { Status: RefundStatus.Pending }) await refunds.RequestAsync(refund.OutRefundNo, cancellationToken);
        return View(order, order.Case(result.Value.Id)!);
    }

    /// <summary>
    /// The stock steps outside the order's transaction that <paramref name="cases"/> call for, and
    /// the release of what a cancelled order still holds; each is idempotent, so the deadline sweep
    /// runs them again, for every case, on an order it finds due.
    /// </summary>
    public async Task FinishStepsAsync(Order order, IEnumerable<AfterSalesCase> cases, CancellationToken cancellationToken)
    {
        foreach (var c in cases)
        {
            if (c is { Review: CaseReview.Approved, UnitsInStore: true })
                await caseStock.ReleaseAsync(order.StoreId, order.Id, c, cancellationToken);
            if (c is { Goods: CaseGoods.Received, Restocked: { } restock })
                await caseStock.ReceiveAsync(order.StoreId, order.Id, c, restock, cancellationToken);
        }
        // Ended by its cases, or cancelled meanwhile: whatever the reservation still holds goes back on sale.
        if (order.Status == OrderStatus.Cancelled) await reservations.ReleaseAsync(order.StoreId, order.Id, cancellationToken);
    }

    public CaseView View(Order order, AfterSalesCase c) => CaseView.From(order, c, Policy);

    private static Error CaseNotFound(string caseId) => Error.NotFound($"There is no after-sales case '{caseId}'.");
}
