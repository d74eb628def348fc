using O2O.Application.Payments;
using O2O.Application.Storage;

namespace O2O.Functions.Payments;

/// <summary>Asks WeChat Pay for a decided refund. A failure propagates: the host retries, then poisons.</summary>
public sealed class ExecuteRefund(RefundService refunds)
{
    [Function(nameof(ExecuteRefund))]
    public Task Run([QueueTrigger(StorageNames.RefundRequestsQueue)] string outRefundNo, CancellationToken cancellationToken) =>
        refunds.ExecuteAsync(outRefundNo, cancellationToken);
}
