using Azure.Storage.Queues;
using O2O.Application.Storage;

namespace O2O.Application.Payments;

/// <summary>Hands a decided refund to the ExecuteRefund queue function, which asks WeChat Pay for it.</summary>
public sealed class RefundQueue(QueueServiceClient queues)
{
    public Task RequestAsync(string orderId, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.RefundRequestsQueue).SendMessageAsync(orderId, cancellationToken);
}
