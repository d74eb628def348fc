using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Pickup;
using O2O.Application.Platform;
using O2O.Application.Stores;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;

namespace O2O.Application.Dispatch;

/// <summary>
/// Watches each store's orders waiting for a courier (one single-partition query of its queue per
/// store): a booking no rider took within the limit is withdrawn and the next platform asked; a
/// dispatch that stopped midway (its message lost, its run died) is resumed.
/// </summary>
public sealed partial class DispatchWatchdog(
    StoreTable stores,
    StoreOrderIndex storeOrders,
    OrderTable orders,
    OrderChanges changes,
    Dispatcher dispatcher,
    CourierPlatforms platforms,
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
        foreach (var orderId in await storeOrders.InStatusAsync(storeId, OrderStatus.Dispatching, cancellationToken))
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
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        var stored = consumerKey is null ? null : await orders.GetAsync(consumerKey, orderId, cancellationToken);
        if (stored?.Order is not { Status: OrderStatus.Dispatching, Delivery: { Flagged: false } delivery }) return false;
        var now = clock.GetUtcNow();
        if (delivery.Provider is { } provider && delivery.CourierOrderId is not null)
        {
            if (delivery.Status != CourierStatus.Waiting || now - delivery.WaitFrom < TimeSpan.FromMinutes(settings.Value.RiderWaitMinutes)) return false;
            var reason = $"no rider within {settings.Value.RiderWaitMinutes} minutes";
            await dispatcher.TryCancelAsync(platforms[provider], delivery.DeliveryId(orderId)!, delivery.CourierOrderId, reason, cancellationToken);
            await changes.ApplyAsync<Order>(orderId, o => { o.AbandonBooking(provider, $"{provider}: {reason}", clock.GetUtcNow()); return o; }, cancellationToken);
            LogNoRider(logger, orderId, provider);
        }
        else if (delivery.Provider is not null && now - delivery.BookedAt < StalledAfter)
            return false; // a dispatch is asking the platform right now
        await dispatcher.DispatchAsync(orderId, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No rider took order {OrderId} at {Provider} in time; asking the next platform")]
    private static partial void LogNoRider(ILogger logger, string orderId, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not watch the dispatch of order {OrderId}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string orderId);
}
