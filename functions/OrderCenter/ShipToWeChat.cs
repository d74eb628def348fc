using O2O.Application.OrderCenter;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Functions.OrderCenter;

/// <summary>A fulfilled order's shipping information to WeChat's order center: on request, and the reconciler's sweep.</summary>
public sealed class ShipToWeChat(ShippingUploads uploads)
{
    /// <summary>Uploads one order's shipping information; WeChat busy throws, and the host retries.</summary>
    [Function("UploadShipping")]
    public async Task Upload(
        [QueueTrigger(StorageNames.ShippingUploadsQueue, Connection = StorageClients.SettingName)] string message, CancellationToken cancellationToken)
    {
        using var work = TracedMessage.Receive(message, StorageNames.ShippingUploadsQueue);
        await uploads.UploadAsync(work.Id, cancellationToken);
    }

    /// <summary>Every minute: fulfilled orders WeChat has not confirmed shipping for are looked up there, and uploaded if WeChat lacks them.</summary>
    [Function("ReconcileShipping")]
    public Task Reconcile([TimerTrigger("50 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        uploads.ReconcileAsync(cancellationToken);
}
