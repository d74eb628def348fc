using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.Dispatch;

/// <summary>
/// Hands a delivery order to the DispatchCourier queue function, which books its rider: at once,
/// or, for a delivery window, hidden in the queue until the courier should be asked
/// (<see cref="OrderPromise.BookCourierAt"/>; a window is at most six days ahead, within a message's seven).
/// </summary>
public sealed class DispatchQueue(QueueServiceClient queues, TimeProvider clock)
{
    /// <summary>A queue message may stay hidden at most seven days; it must also outlive its hiding.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public Task RequestAsync(string orderId, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        var delay = notBefore is { } at ? at - clock.GetUtcNow() : TimeSpan.Zero;
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
        return queues.GetQueueClient(StorageNames.CourierDispatchQueue).SendMessageAsync(TracedMessage.Of(orderId), visibilityTimeout: delay,
            timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// After any change that may have sent the order to dispatch (a clerk's accept, an auto-accept
    /// on payment or on re-routing, ready): asks for its rider. Also on a repeat of the change, as
    /// the first one's request may have been lost; booking is idempotent.
    /// </summary>
    public async Task RequestIfDispatchingAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Status == OrderStatus.Dispatching) await RequestAsync(order.Id, cancellationToken, order.Promise?.BookCourierAt());
    }
}
