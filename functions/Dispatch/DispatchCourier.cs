using O2O.Application.Dispatch;
using O2O.Application.Storage;

namespace O2O.Functions.Dispatch;

/// <summary>Books a rider for a delivery order. A redelivered message finds the booking begun or done and books no second rider.</summary>
public sealed class DispatchCourier(Dispatcher dispatcher)
{
    [Function(nameof(DispatchCourier))]
    public Task Run([QueueTrigger(StorageNames.CourierDispatchQueue)] string orderId, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(orderId, cancellationToken);
}
