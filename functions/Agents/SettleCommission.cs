using O2O.Application.Agents;

namespace O2O.Functions.Agents;

/// <summary>Every five minutes: commission whose settle time has passed, with no after-sales case open, becomes available.</summary>
public sealed class SettleCommission(CommissionSync commission)
{
    [Function(nameof(SettleCommission))]
    public Task Run([TimerTrigger("50 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        commission.SettleAsync(cancellationToken);
}
