using O2O.Application.Dispatch;

namespace O2O.Functions.Dispatch;

/// <summary>Every minute: a booking no rider took in time goes to the next platform; a dispatch that stopped midway is resumed.</summary>
public sealed class WatchDispatches(DispatchWatchdog watchdog)
{
    [Function(nameof(WatchDispatches))]
    public Task Run([TimerTrigger("30 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        watchdog.RunAsync(cancellationToken);
}
