using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.Application.Telemetry;

namespace O2O.Application.Payments;

/// <summary>
/// Hands an order to the CheckPayment queue function, which asks WeChat Pay about it: a few
/// minutes after its prepay (was it paid, and the notification lost?), or at once when it was
/// cancelled unpaid (close its WeChat Pay order so it cannot be paid any more).
/// </summary>
public sealed class PaymentCheckQueue(QueueServiceClient queues)
{
    public Task RequestAsync(string orderId, TimeSpan delay, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.PaymentChecksQueue)
            .SendMessageAsync(TracedMessage.Of(orderId), visibilityTimeout: delay, cancellationToken: cancellationToken);
}
