using Microsoft.Extensions.Logging;
using O2O.Application.Dispatch.Couriers;
using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;

namespace O2O.Application.Dispatch;

/// <summary>
/// Courier status webhooks: verified by the platform's own scheme (and, where that scheme proves
/// nothing, confirmed with the platform's signed status query, whose answer is what is applied;
/// asked only for a delivery that exists and is live, so a forged push cannot make us query the
/// platform at will), applied to the order (a platform reaches only its own current booking), then what follows from the order's state:
/// returned → refunded (or, at a store that redelivers, out once more); given up by the platform →
/// booked with the next one. Those follow-ups run on duplicates too, so a platform's retry after a
/// failure here finishes them. What the stock does (delivered: the units leave; returned: back on
/// sale) follows from the order's events (<see cref="DeliveryStock"/>).
/// </summary>
public sealed partial class CourierWebhooks(
    CourierPlatforms platforms,
    OrderTable orders,
    OrderChanges changes,
    StoreDirectory stores,
    RefundQueue refunds,
    DispatchQueue dispatches,
    TimeProvider clock,
    ILogger<CourierWebhooks> logger)
{
    public async Task<CourierAnswer?> ReceiveAsync(string provider, CourierWebhook webhook, CancellationToken cancellationToken)
    {
        var platform = platforms.Find(provider);
        if (platform is null) return null;
        var update = platform.ReadWebhook(webhook, clock.GetUtcNow());
        if (!update.IsSuccess)
        {
            LogRefused(logger, provider, update.Error.Detail);
            return platform.Answer(update.Error);
        }
        var orderId = DeliveryIds.OrderIdOf(update.Value.DeliveryId);
        var stored = orderId is null ? null : await orders.FindAsync(orderId, cancellationToken);
        if (stored?.Order.HadDelivery(update.Value.DeliveryId) != true)
            return platform.Answer(Error.NotFound($"There is no delivery '{update.Value.DeliveryId}'."));
        // Ours, but over (delivered, cancelled, or a booking given up for another): taken, and nobody is asked anything.
        if (!stored.Order.IsLiveDelivery(provider, update.Value.DeliveryId)) return platform.Answer(null);
        var confirmed = update.Value;
        if (platform.WebhooksNeedConfirmation)
        {
            // A failure to ask throws: the platform gets a 5xx and pushes again.
            if (await platform.QueryAsync(update.Value.DeliveryId, cancellationToken) is not { } answer)
                return platform.Answer(Error.NotFound($"{provider} knows no delivery '{update.Value.DeliveryId}'."));
            if (answer.Status != update.Value.Status) LogUnconfirmed(logger, provider, update.Value.DeliveryId, update.Value.Status, answer.Status);
            confirmed = answer;
        }

        var applied = await ApplyAsync(confirmed, asked: false, cancellationToken, stored);
        return platform.Answer(applied.IsSuccess ? null : applied.Error);
    }

    /// <summary>
    /// Applies what a platform said of one of our deliveries (a verified webhook, or the answer of
    /// its status query when <paramref name="asked"/>, which restarts the booking's silence even
    /// when nothing changed), then does what follows from the order's state.
    /// </summary>
    /// <param name="loaded">The order, if the caller has just read it.</param>
    public async Task<Result<Order>> ApplyAsync(CourierUpdate update, bool asked, CancellationToken cancellationToken, OrderTable.StoredOrder? loaded = null)
    {
        var orderId = DeliveryIds.OrderIdOf(update.DeliveryId);
        if (orderId is null) return Error.NotFound($"There is no delivery '{update.DeliveryId}'.");
        var redeliver = await stores.RedeliversReturnsAsync(cancellationToken);
        var effect = CourierEffect.None;
        Func<Order, Result<Order>> apply = order =>
        {
            effect = order.ApplyCourierUpdate(update, clock.GetUtcNow(), redeliver.Contains(order.StoreId));
            if (asked && effect == CourierEffect.None && order.Delivery?.DeliveryId(order.Id) == update.DeliveryId)
                order.NoteCourierAsked(update.Provider, clock.GetUtcNow());
            return order;
        };
        var applied = loaded is null ? await changes.ApplyAsync(orderId, apply, cancellationToken) : await changes.ApplyAsync(loaded, apply, cancellationToken);
        if (!applied.IsSuccess) return applied;

        var now = applied.Value;
        // The stock follows from the order's events (DeliveryStock); the refund of goods brought back is asked for here,
        // and the open refunds' list (written with the change) makes sure of it.
        if (now is { Status: OrderStatus.Cancelled, Delivery.Status: CourierStatus.Returned, Refund.Status: RefundStatus.Pending })
            await refunds.RequestAsync(now.Refund.OutRefundNo, cancellationToken);
        if (effect == CourierEffect.Redispatch)
            await dispatches.RequestAsync(now.Id, cancellationToken);
        return applied;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Provider} webhook said {DeliveryId} is {Pushed}; the platform says {Confirmed}, which is applied")]
    private static partial void LogUnconfirmed(ILogger logger, string provider, string deliveryId, CourierStatus pushed, CourierStatus confirmed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Provider} webhook: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason);
}
