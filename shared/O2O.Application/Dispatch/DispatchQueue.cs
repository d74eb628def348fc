using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.Dispatch;

/// <summary>Hands a delivery order to the DispatchCourier queue function, which books its rider.</summary>
public sealed class DispatchQueue(QueueServiceClient queues)
{
    public Task RequestAsync(string orderId, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.CourierDispatchQueue).SendMessageAsync(TracedMessage.Of(orderId), cancellationToken);

    /// <summary>
    /// After any change that may have sent the order to dispatch (a clerk's accept, an auto-accept
    /// on payment or on re-routing, ready): asks for its rider. Also on a repeat of the change, as
    /// the first one's request may have been lost; booking is idempotent.
    /// </summary>
    public async Task RequestIfDispatchingAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Status == OrderStatus.Dispatching) await RequestAsync(order.Id, cancellationToken);
    }
}
