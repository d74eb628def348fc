using O2O.Domain.Orders;

namespace O2O.Application.Stores;

/// <summary>Which stores accept paid orders without a clerk, applied wherever an order arrives paid at a store.</summary>
public sealed class AutoAcceptance(IReadOnlySet<string> storeIds)
{
    /// <summary>Accepts the order in the same change that made it paid at its store, if that store auto-accepts.</summary>
    public void Apply(Order order, DateTimeOffset at)
    {
        if (order.Status == OrderStatus.Paid && storeIds.Contains(order.StoreId))
            order.Accept(at, $"store:{order.StoreId} (auto-accept)");
    }
}
