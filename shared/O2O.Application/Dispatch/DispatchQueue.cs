using Azure.Storage.Queues;
using O2O.Application.Storage;

namespace O2O.Application.Dispatch;

/// <summary>Hands a delivery order to the DispatchCourier queue function, which books its rider.</summary>
public sealed class DispatchQueue(QueueServiceClient queues)
{
    public Task RequestAsync(string orderId, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.CourierDispatchQueue).SendMessageAsync(orderId, cancellationToken);
}
