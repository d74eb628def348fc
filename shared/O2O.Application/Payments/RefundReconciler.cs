using Microsoft.Extensions.Logging;
using O2O.Application.Orders;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.Payments;

/// <summary>
/// Walks the open refunds, so none stalls silently: one decided but never asked for (its queue
/// message lost with a crash, or poisoned) is asked for again; one WeChat Pay accepted but never
/// reported on (PROCESSING, its notification lost) or reported ABNORMAL is looked up with WeChat
/// Pay's refund query; a final one is taken off the list, as is a row whose order has no refund
/// (the transaction that would have decided it failed). One not final is looked at again
/// <see cref="RecheckAfter"/> later. ABNORMAL and CLOSED raise the
/// o2o.refund.failed alert (the order's own event); the consistency checker lists any refund
/// still open an hour after it was decided.
/// </summary>
public sealed partial class RefundReconciler(
    RefundTable openRefunds, OrderTable orders, RefundQueue refunds, RefundService refundService, TimeProvider clock, ILogger<RefundReconciler> logger)
{
    /// <summary>A refund decided this recently may still be on its way through the queue: left alone.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <summary>An open refund decided this long ago is stuck: the consistency check lists it, and a metric counts it.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromHours(1);

    /// <summary>How long an open refund waits between two looks.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(1);

    public sealed record Sweep(int Requested, int Queried, int Closed);

    public async Task<Sweep> RunAsync(CancellationToken cancellationToken)
    {
        int requested = 0, queried = 0, closed = 0;
        var now = clock.GetUtcNow();
        foreach (var row in await openRefunds.DueAsync(now, cancellationToken))
        {
            var outRefundNo = row.RowKey;
            if (row.Since < now - StuckAfter) OrderMetrics.RefundStuck();
            try
            {
                var orderId = RefundIds.OrderIdOf(outRefundNo) ?? "";
                var refund = (await orders.FindAsync(orderId, cancellationToken))?.Order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
                switch (refund?.Status)
                {
                    case null or RefundStatus.Succeeded or RefundStatus.Closed:
                        await openRefunds.RescheduleAsync(row, null, cancellationToken);
                        closed++;
                        continue;
                    case RefundStatus.Pending:
                        LogRequestedAgain(logger, outRefundNo, now - (row.Since ?? row.DueAt));
                        await refunds.RequestAsync(outRefundNo, cancellationToken);
                        requested++;
                        break;
                    default: // Processing, Abnormal
                        await refundService.RefreshAsync(outRefundNo, cancellationToken);
                        queried++;
                        break;
                }
                await openRefunds.RescheduleAsync(row, now + RecheckAfter, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, outRefundNo); // the next run tries again
            }
        }
        return new Sweep(requested, queried, closed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund {OutRefundNo}, decided {Age} ago, was never accepted by WeChat Pay; asking again")]
    private static partial void LogRequestedAgain(ILogger logger, string outRefundNo, TimeSpan age);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reconcile refund {OutRefundNo}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string outRefundNo);
}
