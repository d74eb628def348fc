using O2O.Application.Operations;

namespace O2O.Functions.Operations;

/// <summary>Every five minutes: logs each non-empty poison queue, for the alert rule to raise.</summary>
public sealed class WatchPoisonQueues(PoisonQueues poisonQueues)
{
    [Function(nameof(WatchPoisonQueues))]
    public Task Run([TimerTrigger("15 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        poisonQueues.MeasureAsync(cancellationToken);
}
