using O2O.Application.Promises;

namespace O2O.Functions.Promises;

/// <summary>Twice a minute: orders whose promise is at risk or broken say so (events, the store's late badge).</summary>
public sealed class WatchPromises(PromiseWatcher watcher)
{
    [Function(nameof(WatchPromises))]
    public Task Run([TimerTrigger("10,40 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        watcher.SweepAsync(cancellationToken);
}
