using O2O.Application.Payments;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Functions.Payments;

/// <summary>
/// A few minutes after a prepay: if the order is still unpaid, ask WeChat Pay whether the
/// notification was lost. Once an order is cancelled unpaid: close its WeChat Pay order.
/// </summary>
public sealed class CheckPayment(PaymentService payments)
{
    [Function(nameof(CheckPayment))]
    public async Task Run(
        [QueueTrigger(StorageNames.PaymentChecksQueue, Connection = StorageClients.SettingName)] string message, CancellationToken cancellationToken)
    {
        using var work = TracedMessage.Receive(message, StorageNames.PaymentChecksQueue);
        await payments.CheckAsync(work.Id, cancellationToken);
    }
}
