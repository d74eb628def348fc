using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.StoreOrders;
using O2O.Application.Stores;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;

namespace O2O.Application.Dispatch;

/// <summary>
/// Watches each store's deliveries (one single-partition query of its queue per store): a booking
/// no rider took within the limit is withdrawn and the next platform asked; a dispatch that
/// stopped midway (its message lost, its run died) is resumed; a booking the platform has been
/// silent about for <see cref="DeliverySettings.SilenceMinutes"/> is looked up with the platform's
/// status query, so a webhook lost for good never leaves a delivery in transit.
/// Before a booking is withdrawn for want of a rider, the platform is asked whether one took it.
/// </summary>
public sealed partial class DispatchWatchdog(
    StoreTable stores,
    StoreOrderTable storeOrders,
    OrderTable orders,
    OrderChanges changes,
    Dispatcher dispatcher,
    CourierPlatforms platforms,
    CourierWebhooks couriers,
    IOptions<DeliverySettings> settings,
    TimeProvider clock,
    ILogger<DispatchWatchdog> logger)
{
    /// <summary>A booking begun longer ago than this without an answer was abandoned by its run.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var store in await stores.ListAsync(cancellationToken))
            moved += await RunStoreAsync(store.RowKey, cancellationToken);
        return moved;
    }

    /// <summary>Answers how many orders it re-dispatched or resumed.</summary>
    public async Task<int> RunStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var orderId in await storeOrders.InStatusAsync(storeId,
            [OrderStatus.Dispatching, OrderStatus.CourierAssigned, OrderStatus.InTransit], cancellationToken))
        {
            try
            {
                if (await WatchAsync(orderId, cancellationToken)) moved++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWatchFailed(logger, e, orderId);
            }
        }
        return moved;
    }

    private async Task<bool> WatchAsync(string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        var now = clock.GetUtcNow();
        if (stored?.Order is { Status: OrderStatus.CourierAssigned or OrderStatus.InTransit, Delivery: { } riding })
            return now - riding.SilentSince >= TimeSpan.FromMinutes(settings.Value.SilenceMinutes) && await AskAsync(orderId, riding, cancellationToken);
        if (stored?.Order is not { Status: OrderStatus.Dispatching, Delivery: { Flagged: false } delivery }) return false;
        if (delivery.Provider is { } provider && delivery.CourierOrderId is not null)
        {
            var noRiderYet = delivery.Status == CourierStatus.Waiting && now - delivery.WaitFrom >= TimeSpan.FromMinutes(settings.Value.RiderWaitMinutes);
            if (!noRiderYet) return now - delivery.SilentSince >= TimeSpan.FromMinutes(settings.Value.SilenceMinutes) && await AskAsync(orderId,
                delivery, cancellationToken);
            // A rider may have taken it and the webhook been lost: the platform's word first.
            if (await AskAsync(orderId, delivery, cancellationToken)) return true;
            var reason = $"no rider within {settings.Value.RiderWaitMinutes} minutes";
            await dispatcher.TryCancelAsync(platforms[provider], delivery.DeliveryId(orderId)!, delivery.CourierOrderId, reason, cancellationToken);
            await changes.ApplyAsync<Order>(orderId,
                o => { o.AbandonBooking(provider, $"{provider}: {reason}", clock.GetUtcNow()); return o; }, cancellationToken);
            LogNoRider(logger, orderId, provider);
        }
        else if (delivery.Provider is not null && now - delivery.BookedAt < StalledAfter)
            return false; // a dispatch is asking the platform right now
        return await dispatcher.DispatchAsync(orderId, cancellationToken) != DispatchOutcome.NotYet;
    }

    /// <summary>Asks the booking's platform where it stands and applies the answer; true when the order moved.</summary>
    private async Task<bool> AskAsync(string orderId, DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        if (delivery.Provider is not { } provider) return false;
        var deliveryId = delivery.DeliveryId(orderId)!;
        CourierUpdate? answer;
        try
        {
            answer = await platforms[provider].QueryAsync(deliveryId, cancellationToken);
        }
        catch (Exception e) when (Dispatcher.IsPlatformFailure(e))
        {
            LogAskFailed(logger, e, orderId, provider);
            return false; // asked again on the next run; a withdrawal goes ahead without the answer
        }
        if (answer is null)
        {
            LogUnknownToPlatform(logger, orderId, provider, deliveryId);
            return false;
        }
        var applied = await couriers.ApplyAsync(answer, asked: true, cancellationToken);
        var moved = applied.IsSuccess && (applied.Value.Delivery?.Status != delivery.Status || applied.Value.Delivery?.Provider != provider);
        if (moved) LogHeardByAsking(logger, orderId, provider, answer.Status);
        return moved;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: could not ask {Provider} where the delivery stands")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string orderId, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Provider} was silent; asked, it says {Status}")]
    private static partial void LogHeardByAsking(ILogger logger, string orderId, string provider, CourierStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: {Provider} knows no delivery {DeliveryId}")]
    private static partial void LogUnknownToPlatform(ILogger logger, string orderId, string provider, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No rider took order {OrderId} at {Provider} in time; asking the next platform")]
    private static partial void LogNoRider(ILogger logger, string orderId, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not watch the dispatch of order {OrderId}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string orderId);
}
