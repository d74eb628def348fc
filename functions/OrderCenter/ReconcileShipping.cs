using O2O.Application.OrderCenter;

namespace O2O.Functions.OrderCenter;

/// <summary>Every minute: fulfilled orders WeChat has not confirmed shipping for are looked up there, and uploaded if WeChat lacks them.</summary>
public sealed class ReconcileShipping(ShippingUploads uploads)
{
    [Function(nameof(ReconcileShipping))]
    public Task Run([TimerTrigger("50 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        uploads.ReconcileAsync(cancellationToken);
}
