using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Dispatch.Couriers;
using O2O.Application.Orders;
using O2O.Application.Stores;
using O2O.Application.Telemetry;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace O2O.Application.Dispatch;

public enum DispatchOutcome
{
    /// <summary>The order is not waiting for a rider (booked already, delivered, cancelled, or flagged).</summary>
    NothingToDo,
    Booked,

    /// <summary>Every platform of the store failed or gave up: alert raised, order flagged for the store.</summary>
    Flagged,

    /// <summary>A delivery for a window whose courier is asked later (<see cref="OrderPromise.BookCourierAt"/>); its queue message comes back then.</summary>
    NotYet,
}

/// <summary>
/// Books a rider for a delivery order with the store's platforms in its order of preference. The
/// platform about to be asked is written on the order first, so a redelivered message asks the
/// same platform under the same delivery id (which the platform treats as the same booking) and
/// never books a second rider. A platform that fails (after its own retries), or whose breaker is
/// open, is given up for this order and the next one is asked.
/// </summary>
public sealed partial class Dispatcher(
    OrderTable orders,
    OrderChanges changes,
    StoreDirectory stores,
    CourierPlatforms platforms,
    IOptions<DeliverySettings> settings,
    TimeProvider clock,
    ILogger<Dispatcher> logger)
{
    public async Task<DispatchOutcome> DispatchAsync(string orderId, CancellationToken cancellationToken)
    {
        // Each round either books, or writes one step (a platform begun or given up): at most two rounds per platform.
        for (var round = 0; round <= 2 * CourierProviders.All.Count; round++)
        {
            var stored = await orders.FindAsync(orderId, cancellationToken);
            if (stored?.Order is not { Status: OrderStatus.Dispatching, Delivery: { Flagged: false } delivery } order)
                return DispatchOutcome.NothingToDo;
            var store = await stores.FindAsync(order.StoreId, cancellationToken);
            if (delivery.Provider is null && delivery.Tried.Count == 0 && order.Promise?.BookCourierAt() > clock.GetUtcNow()) return DispatchOutcome.NotYet;
            if (delivery.Provider is null)
            {
                var next = store?.Couriers.FirstOrDefault(c => !delivery.Tried.Contains(c));
                if (next is null)
                {
                    await changes.ApplyAsync<Order>(stored, o => { o.FlagUndispatchable(clock.GetUtcNow()); return o; }, cancellationToken);
                    LogFlagged(logger, orderId, string.Join(", ", delivery.Tried));
                    return DispatchOutcome.Flagged;
                }
                await changes.ApplyAsync(stored, o => o.BeginBooking(next, clock.GetUtcNow()), cancellationToken); // lost to another run: read again
                continue;
            }
            if (delivery.CourierOrderId is not null) return DispatchOutcome.NothingToDo;
            if (await BookAsync(order, store!, delivery, cancellationToken)) return DispatchOutcome.Booked;
        }
        throw new InvalidOperationException($"Dispatch of order {orderId} did not settle.");
    }

    /// <summary>Asks the begun platform; false when it failed and was given up.</summary>
    private async Task<bool> BookAsync(Order order, Store store, DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var provider = delivery.Provider!;
        var platform = platforms[provider];
        var deliveryId = delivery.DeliveryId(order.Id)!;
        var address = (Fulfillment.Delivery)order.Fulfillment;
        try
        {
            var courierOrderId = await platform.BookAsync(new CourierBooking(deliveryId, store, address.Address, address.Contact, order.LinesToHandOver,
                order.HandOverFen, $"{settings.Value.CallbackBaseUrl.TrimEnd('/')}/{provider}/webhook", delivery.ReadyBy,
                order.Quote), cancellationToken);
            var recorded = await changes.ApplyAsync(order.Id, o => o.RecordBooking(provider, courierOrderId), cancellationToken);
            if (!recorded.IsSuccess) await TryCancelAsync(platform, deliveryId, courierOrderId, "the order no longer needs this booking", cancellationToken);
            else LogBooked(logger, order.Id, provider, courierOrderId);
            return true;
        }
        catch (Exception e) when (IsPlatformFailure(e))
        {
            LogPlatformFailed(logger, e, order.Id, provider);
            OrderMetrics.BookingFailed(provider);
            // The booking may have gone through with its answer lost: withdraw it before asking elsewhere.
            await TryCancelAsync(platform, deliveryId, null, "dispatched elsewhere", cancellationToken);
            await changes.ApplyAsync<Order>(order.Id, o =>
            {
                o.AbandonBooking(provider, $"{provider} failed: {e.GetType().Name}", clock.GetUtcNow());
                return o;
            }, cancellationToken);
            return false;
        }
    }

    /// <summary>Withdraws a booking; a platform that cannot be reached now is logged, not retried here.</summary>
    public async Task TryCancelAsync(ICourierPlatform platform, string deliveryId, string? courierOrderId, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await platform.CancelAsync(deliveryId, courierOrderId, reason, cancellationToken);
        }
        catch (Exception e) when (IsPlatformFailure(e))
        {
            LogCancelFailed(logger, e, deliveryId, platform.Name);
        }
    }

    /// <summary>The platform failed, timed out, is cut off by its breaker, or answered something that is not its protocol.</summary>
    public static bool IsPlatformFailure(Exception e) =>
        e is CourierPlatformException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            // An answer without the fields the protocol promises (JsonElement.GetProperty and friends).
            or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} booked with {Provider} as {CourierOrderId}")]
    private static partial void LogBooked(ILogger logger, string orderId, string provider, string courierOrderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier platform {Provider} failed for order {OrderId}; asking the next")]
    private static partial void LogPlatformFailed(ILogger logger, Exception exception, string orderId, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not withdraw delivery {DeliveryId} at {Provider}")]
    private static partial void LogCancelFailed(ILogger logger, Exception exception, string deliveryId, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "No courier platform could take order {OrderId} (tried {Tried}); the store sees it flagged")]
    private static partial void LogFlagged(ILogger logger, string orderId, string tried);
}
