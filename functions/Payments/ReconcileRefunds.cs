using O2O.Application.Payments;

namespace O2O.Functions.Payments;

/// <summary>Every five minutes: refunds never asked for are asked for again, ones WeChat Pay never reported on are looked up.</summary>
public sealed class ReconcileRefunds(RefundReconciler reconciler)
{
    [Function(nameof(ReconcileRefunds))]
    public Task Run([TimerTrigger("45 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        reconciler.RunAsync(cancellationToken);
}
