using O2O.Application.Orders;
using O2O.Application.Storage;

namespace O2O.Functions.Orders;

/// <summary>Publishes an order's outbox events when checkout (or the sweeper) nudges it. Failures propagate: the host retries, then poisons.</summary>
public sealed class RelayOrderEvents(OutboxRelay relay)
{
    [Function(nameof(RelayOrderEvents))]
    public Task Run([QueueTrigger(StorageNames.OrderOutboxQueue)] string orderId, CancellationToken cancellationToken) =>
        relay.RelayAsync(orderId, cancellationToken);
}
