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
/// confirmed transaction (idempotent by transaction_id), and asking WeChat Pay directly when a
/// notification is late or lost. Refunds are <see cref="RefundService"/>'s.
/// </summary>
public sealed partial class PaymentService(
    OrderTable orders,
    OrderChanges changes,
    StoreDirectory stores,
    RefundQueue refunds,
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was paid before its WeChat Pay order could be closed; the payment is refunded")]
    private static partial void LogPaidBeforeClose(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prepay for order {OrderId} failed")]
    private static partial void LogPrepayFailed(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused payment {TransactionId} for order {OrderId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string orderId, string transactionId, string reason);
}
