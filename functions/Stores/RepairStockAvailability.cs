using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>Every five minutes: stock rows changed lately are projected again into the availability routing reads.</summary>
public sealed class RepairStockAvailability(StockAvailability availability)
{
    [Function(nameof(RepairStockAvailability))]
    public Task Run([TimerTrigger("20 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        availability.RepairAsync(cancellationToken);
}
