using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Payments.WeChatPay;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Payments;

/// <summary>
/// Refunds of orders through WeChat Pay, the order's own (a cancellation's) and its cases': asked
/// for under their out_refund_no (so a retry is harmless), then settled by the notification, the
/// answer to a query, or the reconciler. Every WeChat Pay refund status is read in one place.
/// </summary>
public sealed partial class RefundService(
    OrderTable orders, OrderChanges changes, WeChatPayClient weChatPay, IOptions<WeChatPaySettings> settings, TimeProvider clock,
    ILogger<RefundService> logger)
{
    /// <summary>A refund status WeChat Pay reports, as the app keeps it; null for one it does not know.</summary>
    public static RefundStatus? StatusOf(string? weChatPayStatus) => weChatPayStatus switch
    {
        "SUCCESS" => RefundStatus.Succeeded,
        "ABNORMAL" => RefundStatus.Abnormal,
        "CLOSED" => RefundStatus.Closed,
        "PROCESSING" => RefundStatus.Processing,
        _ => null,
    };

    public async Task<Result<RefundStatus>> ApplyNoticeAsync(RefundNotice notice, CancellationToken cancellationToken)
    {
        // A notification is only ever of a refund that ended.
        if (StatusOf(notice.RefundStatus) is not { } status || status == RefundStatus.Processing)
            return Error.Validation("resource.refund_status", $"'{notice.RefundStatus}' is not a refund status");
        if (notice.MchId != settings.Value.MchId) return Error.Validation("resource.mchid", "is not this merchant");
        var updated = await UpdateAsync(notice.OutRefundNo ?? "", status, notice.RefundId, cancellationToken);
        return updated.IsSuccess ? status : updated.Error;
    }

    /// <summary>Asks WeChat Pay for a pending refund (queue-driven, so failures are retried by the host). out_refund_no makes a retry harmless.</summary>
    public async Task ExecuteAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        var stored = await OrderOfAsync(outRefundNo, cancellationToken);
        if (stored?.Order is not { Payment: { } payment } order
            || order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo) is not { Status: RefundStatus.Pending } refund) return;
        var answer = await weChatPay.RefundAsync(order.Id, refund.OutRefundNo, refund.AmountFen, payment.AmountFen, cancellationToken);
        await UpdateAsync(outRefundNo, StatusOf(answer.Status) ?? RefundStatus.Processing, answer.RefundId, cancellationToken);
    }

    /// <summary>
    /// Asks WeChat Pay where a refund it accepted stands (its notification may be late or lost) and
    /// records the answer. One WeChat Pay does not know, although it accepted it, is logged for an
    /// operator (the consistency checker lists it after an hour).
    /// </summary>
    public async Task RefreshAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        var stored = await OrderOfAsync(outRefundNo, cancellationToken);
        if (stored?.Order.Refunds.Any(r => r.OutRefundNo == outRefundNo) != true) return;
        if (await weChatPay.QueryRefundAsync(outRefundNo, cancellationToken) is { } answer)
            await UpdateAsync(outRefundNo, StatusOf(answer.Status) ?? RefundStatus.Processing, answer.RefundId, cancellationToken);
        else LogRefundUnknown(logger, stored.Order.Id, outRefundNo);
    }

    private async Task<OrderTable.StoredOrder?> OrderOfAsync(string outRefundNo, CancellationToken cancellationToken) =>
        RefundIds.OrderIdOf(outRefundNo) is { } orderId ? await orders.FindAsync(orderId, cancellationToken) : null;

    /// <summary>Records what WeChat Pay said of the refund; the reconciler takes a final one off the open refunds when it next looks.</summary>
    private async Task<Result<Order>> UpdateAsync(string outRefundNo, RefundStatus status, string? refundId, CancellationToken cancellationToken)
    {
        var orderId = RefundIds.OrderIdOf(outRefundNo) ?? "";
        var updated = await changes.ApplyAsync<Order>(orderId, order =>
            order.RecordRefundStatus(outRefundNo, status, refundId, clock.GetUtcNow())
                ? order
                : Error.NotFound($"Order {orderId} has no refund '{outRefundNo}'."), cancellationToken);
        return updated;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: WeChat Pay knows no refund {OutRefundNo}, which it had accepted")]
    private static partial void LogRefundUnknown(ILogger logger, string orderId, string outRefundNo);
}
