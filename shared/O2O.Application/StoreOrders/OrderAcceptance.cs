using O2O.Application.Dispatch;
using O2O.Application.Orders;
using O2O.Application.Stores;
using O2O.Domain.Common;

namespace O2O.Application.StoreOrders;

/// <summary>What store staff do with the orders routed to their store. Another store's order is "not found".</summary>
public sealed class OrderAcceptance(OrderChanges changes, StoreDirectory stores, DispatchQueue dispatches, TimeProvider clock)
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
}
