using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Dispatch;
using O2O.Application.Orders;
using O2O.Application.Payments.WeChatPay;
using O2O.Application.Platform;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace O2O.Application.Payments;

/// <summary>
/// Payments of orders through WeChat Pay: the prepay the mini-program pays with, the effect of a
/// confirmed transaction (idempotent by transaction_id), refunds, and asking WeChat Pay directly
/// when a notification is late or lost.
/// </summary>
public sealed partial class PaymentService(
    OrderTable orders,
    OrderChanges changes,
    StoreDirectory stores,
    RefundQueue refunds,
    OpenRefunds openRefunds,
    DispatchQueue dispatches,
    WeChatPayClient weChatPay,
    IOptions<WeChatPaySettings> settings,
    IOptions<WeChatSettings> weChat,
    PaymentCheckQueue checks,
    TimeProvider clock,
    ILogger<PaymentService> logger)
{
    /// <summary>WeChat keeps a prepay_id for two hours; a repeated pay request within that reuses it.</summary>
    public static readonly TimeSpan PrepayReuse = TimeSpan.FromMinutes(110);

    /// <summary>How long after a prepay the app asks WeChat Pay itself, in case the notification was lost.</summary>
    public static readonly TimeSpan PaymentCheckDelay = TimeSpan.FromMinutes(3);

    public async Task<Result<PayParameters>> PrepayAsync(string consumerKey, string openId, string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindOwnAsync(consumerKey, orderId, cancellationToken);
        if (stored is null) return NotFound(orderId);
        var order = stored.Order;
        if (order.Status != OrderStatus.PendingPayment)
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {order.Status} cannot be paid.");
        var now = clock.GetUtcNow();
        if (now >= order.PayBy) return new Error(ErrorCodes.InvalidTransition, "The time to pay for this order has passed.");
        if (order.Prepay is { } open && now - open.CreatedAt < PrepayReuse) return weChatPay.PayParameters(open.PrepayId);

        string prepayId;
        try
        {
            prepayId = await weChatPay.JsapiPrepayAsync(order.Id, Describe(order), order.TotalFen, openId, order.PayBy, cancellationToken);
        }
        catch (Exception e) when (IsPartnerFailure(e))
        {
            LogPrepayFailed(logger, e, orderId);
            return new Error(ErrorCodes.WeChatPayUnavailable, "WeChat Pay is unavailable right now; try again shortly.");
        }

        var recorded = await changes.ApplyAsync(stored, o => o.RecordPrepay(prepayId, clock.GetUtcNow(), openId), cancellationToken);
        if (!recorded.IsSuccess) return recorded.Error;
        await checks.RequestAsync(orderId, PaymentCheckDelay, cancellationToken);
        return weChatPay.PayParameters(prepayId);
    }

    /// <summary>
    /// Applies a transaction WeChat Pay reported (by notification or query). One that does not match
    /// the order in merchant, app, amount or currency never pays it: it is refused and raised as an alert.
    /// </summary>
    public async Task<Result<PaymentOutcome>> ApplyTransactionAsync(Transaction transaction, CancellationToken cancellationToken)
    {
        var orderId = transaction.OutTradeNo ?? "";
        if (transaction.TransactionId is null) return NotFound(orderId);
        string? refused = null;
        var autoAcceptance = await stores.AutoAcceptanceAsync(cancellationToken);
        var outcome = await changes.ApplyAsync<(PaymentOutcome Outcome, Order Order)>(orderId, order =>
        {
            refused = Mismatch(transaction, order);
            if (refused is not null)
            {
                order.RejectPayment(transaction.TransactionId, refused, clock.GetUtcNow()); // kept, and raised once as an alert
                return Error.Validation("resource", $"the payment does not match order {orderId}: {refused}");
            }
            var recorded = order.RecordPayment(transaction.TransactionId, transaction.Amount!.Total, transaction.SuccessTime ?? clock.GetUtcNow());
            if (!recorded.IsSuccess) return recorded.Error;
            autoAcceptance.Apply(order, clock.GetUtcNow());
            return (recorded.Value, order);
        }, cancellationToken);
        if (refused is not null) LogRejected(logger, orderId, transaction.TransactionId, refused);
        if (!outcome.IsSuccess) return outcome.Error;

        var (result, paid) = outcome.Value;
        // Also on a repeat: the first notification's refund or dispatch request may have been lost.
        if (paid.Refund is { Status: RefundStatus.Pending } refund) await refunds.RequestAsync(refund.OutRefundNo, cancellationToken);
        await dispatches.RequestIfDispatchingAsync(paid, cancellationToken); // auto-accepted by a store that dispatches on accept
        return result;
    }

    public async Task<Result<RefundStatus>> ApplyRefundNoticeAsync(RefundNotice notice, CancellationToken cancellationToken)
    {
        var status = notice.RefundStatus switch
        {
            "SUCCESS" => RefundStatus.Succeeded,
            "ABNORMAL" => RefundStatus.Abnormal,
            "CLOSED" => RefundStatus.Closed,
            _ => (RefundStatus?)null,
        };
        if (status is null) return Error.Validation("resource.refund_status", $"'{notice.RefundStatus}' is not a refund status");
        if (notice.MchId != settings.Value.MchId) return Error.Validation("resource.mchid", "is not this merchant");
        var updated = await UpdateRefundAsync(notice.OutRefundNo ?? "", status.Value, notice.RefundId, cancellationToken);
        return updated.IsSuccess ? status.Value : updated.Error;
    }

    /// <summary>Asks WeChat Pay for a pending refund (queue-driven, so failures are retried by the host). out_refund_no makes a retry harmless.</summary>
    public async Task ExecuteRefundAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        var stored = await OrderOfRefundAsync(outRefundNo, cancellationToken);
        if (stored?.Order is not { Payment: { } payment } order
            || order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo) is not { Status: RefundStatus.Pending } refund) return;
        var answer = await weChatPay.RefundAsync(order.Id, refund.OutRefundNo, refund.AmountFen, payment.AmountFen, cancellationToken);
        await UpdateRefundAsync(outRefundNo, StatusOf(answer.Status), answer.RefundId, cancellationToken);
    }

    private async Task<OrderTable.StoredOrder?> OrderOfRefundAsync(string outRefundNo, CancellationToken cancellationToken) =>
        RefundIds.OrderIdOf(outRefundNo) is { } orderId ? await orders.FindAsync(orderId, cancellationToken) : null;

    private static RefundStatus StatusOf(string? weChatPayStatus) => weChatPayStatus switch
    {
        "SUCCESS" => RefundStatus.Succeeded,
        "ABNORMAL" => RefundStatus.Abnormal,
        "CLOSED" => RefundStatus.Closed,
        _ => RefundStatus.Processing,
    };

    /// <summary>
    /// Asks WeChat Pay where a refund it accepted stands (its notification may be late or lost) and
    /// records the answer. One WeChat Pay does not know, although it accepted it, is logged for an
    /// operator (the consistency checker lists it after an hour).
    /// </summary>
    public async Task RefreshRefundAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        var stored = await OrderOfRefundAsync(outRefundNo, cancellationToken);
        if (stored?.Order.Refunds.Any(r => r.OutRefundNo == outRefundNo) != true) return;
        if (await weChatPay.QueryRefundAsync(outRefundNo, cancellationToken) is { } answer)
            await UpdateRefundAsync(outRefundNo, StatusOf(answer.Status), answer.RefundId, cancellationToken);
        else LogRefundUnknown(logger, stored.Order.Id, outRefundNo);
    }

    /// <summary>
    /// The CheckPayment queue's work (a failure is retried by the host): an unpaid order is
    /// reconciled with WeChat Pay; one cancelled unpaid has its WeChat Pay order closed, so its payer
    /// can no longer pay it. One paid meanwhile is refunded when its notification arrives, as any
    /// late payment is.
    /// </summary>
    public async Task CheckAsync(string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        switch (stored?.Order)
        {
            case { Status: OrderStatus.PendingPayment }:
                await ReconcileAsync(orderId, cancellationToken);
                break;
            case { Status: OrderStatus.Cancelled, Payment: null, Prepay: not null }:
                if (!await weChatPay.CloseAsync(orderId, cancellationToken)) LogPaidBeforeClose(logger, orderId);
                break;
        }
    }

    /// <summary>
    /// For an unpaid order: asks WeChat Pay whether it was paid after all and, if so, applies it.
    /// True when the order is now paid; throws when WeChat Pay cannot be asked, so nobody cancels blind.
    /// </summary>
    public async Task<bool> ReconcileAsync(string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        if (stored is null) return false;
        if (stored.Order.Status != OrderStatus.PendingPayment) return stored.Order.Payment is not null;
        var transaction = await weChatPay.QueryAsync(orderId, cancellationToken);
        if (transaction?.TradeState != "SUCCESS") return false;
        var applied = await ApplyTransactionAsync(transaction, cancellationToken);
        return applied.IsSuccess && applied.Value is PaymentOutcome.Paid or PaymentOutcome.AlreadyRecorded;
    }

    public static bool IsPartnerFailure(Exception e) =>
        e is WeChatPayException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException;

    /// <summary>Records what WeChat Pay said of the refund; a final answer takes it off the open refunds.</summary>
    private async Task<Result<Order>> UpdateRefundAsync(string outRefundNo, RefundStatus status, string? refundId, CancellationToken cancellationToken)
    {
        var orderId = RefundIds.OrderIdOf(outRefundNo) ?? "";
        var updated = await changes.ApplyAsync<Order>(orderId, order =>
            order.RecordRefundStatus(outRefundNo, status, refundId, clock.GetUtcNow())
                ? order
                : Error.NotFound($"Order {orderId} has no refund '{outRefundNo}'."), cancellationToken);
        if (updated.IsSuccess
            && updated.Value.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo) is { Status: RefundStatus.Succeeded or RefundStatus.Closed })
            await openRefunds.CloseAsync(outRefundNo, cancellationToken);
        return updated;
    }

    private string? Mismatch(Transaction transaction, Order order) =>
        transaction.MchId != settings.Value.MchId ? $"mchid {transaction.MchId} is not this merchant"
        : transaction.AppId != weChat.Value.AppId ? $"appid {transaction.AppId} is not this mini-program"
        : transaction.TradeState != "SUCCESS" ? $"trade_state is {transaction.TradeState}"
        : transaction.Amount?.Currency != "CNY" ? $"currency {transaction.Amount?.Currency} is not CNY"
        : transaction.Amount.Total != order.TotalFen ? $"amount {transaction.Amount.Total} fen is not the order's {order.TotalFen} fen"
        : null;

    /// <summary>WeChat shows this to the payer; at most 127 characters.</summary>
    private static string Describe(Order order)
    {
        var first = order.Lines[0];
        var text = order.Lines.Count == 1 ? $"{first.Name} x{first.Quantity}" : $"{first.Name} and {order.Lines.Count - 1} more";
        return text.Length <= 127 ? text : text[..127];
    }

    private static Error NotFound(string orderId) => OrderChanges.NotFound(orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: WeChat Pay knows no refund {OutRefundNo}, which it had accepted")]
    private static partial void LogRefundUnknown(ILogger logger, string orderId, string outRefundNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was paid before its WeChat Pay order could be closed; the payment is refunded")]
    private static partial void LogPaidBeforeClose(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prepay for order {OrderId} failed")]
    private static partial void LogPrepayFailed(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused payment {TransactionId} for order {OrderId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string orderId, string transactionId, string reason);
}
