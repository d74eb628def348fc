using O2O.Application.Orders;

namespace O2O.Functions.Orders;

/// <summary>Every minute: release reservations whose order was never written; re-nudge the relay for orders it missed.</summary>
public sealed class SweepReservations(ReservationSweeper sweeper)
{
    [Function(nameof(SweepReservations))]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
