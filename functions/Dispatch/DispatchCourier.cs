using O2O.Application.Dispatch;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Functions.Dispatch;

/// <summary>Books a rider for a delivery order. A redelivered message finds the booking begun or done and books no second rider.</summary>
public sealed class DispatchCourier(Dispatcher dispatcher)
{
    [Function(nameof(DispatchCourier))]
    public async Task Run(
        [QueueTrigger(StorageNames.CourierDispatchQueue, Connection = StorageClients.SettingName)] string message, CancellationToken cancellationToken)
    {
        using var work = TracedMessage.Receive(message, StorageNames.CourierDispatchQueue);
        await dispatcher.DispatchAsync(work.Id, cancellationToken);
    }
}
