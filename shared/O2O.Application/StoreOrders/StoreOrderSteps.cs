using O2O.Application.Dispatch;
using O2O.Application.Orders;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.StoreOrders;

/// <summary>
/// The clerk's steps on the orders routed to their store: accept, and ready (rejecting is
/// <see cref="Rerouting"/>'s, since the order moves on). Another store's order is "not found".
/// </summary>
public sealed class StoreOrderSteps(OrderTable orders, OrderChanges changes,
    StockTable stock, StoreDirectory stores, DispatchQueue dispatches, TimeProvider clock)
{
    /// <summary>Accepts a paid order; a delivery of a store with a preparation time goes to dispatch at once.</summary>
    public async Task<Result<OrderView>> AcceptAsync(string storeId, string orderId, CancellationToken cancellationToken)
    {
        var store = await stores.FindAsync(storeId, cancellationToken);
        var accepted = await changes.ApplyAsync(orderId, order =>
        {
            if (order.StoreId != storeId) return OrderChanges.NotFound(orderId);
            var now = clock.GetUtcNow();
            return order.Accept(now, $"store:{storeId}", store?.ReadyBy(now));
        }, cancellationToken);
        if (!accepted.IsSuccess) return accepted.Error;
        await dispatches.RequestIfDispatchingAsync(accepted.Value, cancellationToken);
        return OrderView.ForStore(accepted.Value);
    }

    /// <summary>Marks an accepted order ready: a pickup gets its code (held for the store's pickup hold time), a delivery goes to dispatch.</summary>
    public async Task<Result<OrderView>> MarkReadyAsync(string storeId, string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        if (stored is null || stored.Order.StoreId != storeId) return Error.NotFound($"Store has no order '{orderId}'.");
        var now = clock.GetUtcNow();
        var pickup = stored.Order.Pickup;
        if (stored.Order is { Status: OrderStatus.Accepted, Mode: FulfillmentMode.Pickup } && pickup is null)
        {
            var hold = await stores.PickupHoldTimeAsync(storeId, cancellationToken);
            pickup = new PickupRecord(await stock.ClaimNewCodeAsync(storeId, orderId, now + hold / 2, now + hold, cancellationToken), now + hold);
        }

        var ready = await changes.ApplyAsync(stored, order => order.MarkReady(clock.GetUtcNow(), $"store:{storeId}", () => pickup!), cancellationToken);
        // Also when marked ready again: the first request's message may have been lost (the watchdog would also catch it).
        if (ready.IsSuccess) await dispatches.RequestIfDispatchingAsync(ready.Value, cancellationToken);
        return ready.IsSuccess ? OrderView.ForStore(ready.Value) : ready.Error;
    }
}
