using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Application.Payments;

/// <summary>Hands a decided refund (by its out_refund_no) to the ExecuteRefund queue function, which asks WeChat Pay for it.</summary>
public sealed class RefundQueue(QueueServiceClient queues)
{
    public Task RequestAsync(string outRefundNo, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.RefundRequestsQueue).SendMessageAsync(TracedMessage.Of(outRefundNo), cancellationToken);
}
