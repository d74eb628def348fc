using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Functions.Orders;

/// <summary>Publishes an order's outbox events when checkout (or the sweeper) nudges it. Failures propagate: the host retries, then poisons.</summary>
public sealed class RelayOrderEvents(OutboxRelay relay)
{
    [Function(nameof(RelayOrderEvents))]
    public async Task Run(
        [QueueTrigger(StorageNames.OrderOutboxQueue, Connection = StorageClients.SettingName)] string message, CancellationToken cancellationToken)
    {
        using var work = TracedMessage.Receive(message, StorageNames.OrderOutboxQueue);
        await relay.RelayAsync(work.Id, cancellationToken);
    }
}
