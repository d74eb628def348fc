using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>Which stores accept paid orders without a clerk, applied wherever an order arrives paid at a store.</summary>
public sealed class AutoAcceptance(IReadOnlyDictionary<string, Store> autoAccepting)
{
    /// <summary>Accepts the order in the same change that made it paid at its store, if that store auto-accepts.</summary>
    public void Apply(Order order, DateTimeOffset at)
    {
        if (order.Status == OrderStatus.Paid && autoAccepting.TryGetValue(order.StoreId, out var store))
            order.Accept(at, $"store:{order.StoreId} (auto-accept)", store.ReadyBy(at));
    }
}
