using O2O.Application.Orders;
using O2O.Domain.Common;

namespace O2O.Application.Pickup;

/// <summary>What store staff do with the orders routed to their store. Another store's order is "not found".</summary>
public sealed class StoreOrders(OrderChanges changes, TimeProvider clock)
{
    public async Task<Result<OrderView>> AcceptAsync(string storeId, string orderId, CancellationToken cancellationToken)
    {
        var accepted = await changes.ApplyAsync(orderId,
            order => order.StoreId != storeId ? OrderChanges.NotFound(orderId) : order.Accept(clock.GetUtcNow(), $"store:{storeId}"),
            cancellationToken);
        return accepted.IsSuccess ? OrderView.From(accepted.Value, forConsumer: false) : accepted.Error;
    }
}
