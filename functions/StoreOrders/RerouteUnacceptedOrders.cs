using O2O.Application.StoreOrders;

namespace O2O.Functions.StoreOrders;

/// <summary>Every minute: a paid order its store has not accepted within the limit goes to the next store.</summary>
public sealed class RerouteUnacceptedOrders(Rerouting rerouting)
{
    [Function(nameof(RerouteUnacceptedOrders))]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        rerouting.RerouteUnacceptedAsync(cancellationToken);
}
