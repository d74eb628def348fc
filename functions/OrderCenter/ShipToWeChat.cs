using O2O.Application.OrderCenter;
using O2O.Application.Storage;

namespace O2O.Functions.OrderCenter;

/// <summary>A fulfilled order's shipping information to WeChat's order center: on request, and the reconciler's sweep.</summary>
public sealed class ShipToWeChat(ShippingUploads uploads)
{
    /// <summary>Uploads one order's shipping information; WeChat busy throws, and the host retries.</summary>
    [Function("UploadShipping")]
    public Task Upload([QueueTrigger(StorageNames.ShippingUploadsQueue)] string orderId, CancellationToken cancellationToken) =>
        uploads.UploadAsync(orderId, cancellationToken);

    /// <summary>Every minute: fulfilled orders WeChat has not confirmed shipping for are looked up there, and uploaded if WeChat lacks them.</summary>
    [Function("ReconcileShipping")]
    public Task Reconcile([TimerTrigger("50 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        uploads.ReconcileAsync(cancellationToken);
}
