using O2O.Application.Agents;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Functions.Agents;

/// <summary>Brings an attributed order's agents' ledgers in step with it (asked by the outbox relay). A failure propagates: the host retries, then
/// poisons.</summary>
public sealed class SyncCommission(CommissionSync commission)
{
    [Function(nameof(SyncCommission))]
    public async Task Run(
        [QueueTrigger(StorageNames.CommissionSyncQueue, Connection = StorageClients.SettingName)] string message, CancellationToken cancellationToken)
    {
        using var work = TracedMessage.Receive(message, StorageNames.CommissionSyncQueue);
        await commission.SyncAsync(work.Id, cancellationToken);
    }
}
