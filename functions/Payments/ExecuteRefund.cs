using O2O.Application.Payments;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Functions.Payments;

/// <summary>Asks WeChat Pay for a decided refund. A failure propagates: the host retries, then poisons.</summary>
public sealed class ExecuteRefund(RefundService refunds)
{
    [Function(nameof(ExecuteRefund))]
    public async Task Run(
        [QueueTrigger(StorageNames.RefundRequestsQueue, Connection = StorageClients.SettingName)] string message, CancellationToken cancellationToken)
    {
        using var work = TracedMessage.Receive(message, StorageNames.RefundRequestsQueue);
        await refunds.ExecuteAsync(work.Id, cancellationToken);
    }
}
