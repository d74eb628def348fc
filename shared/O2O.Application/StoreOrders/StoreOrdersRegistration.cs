using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Orders;

namespace O2O.Application.StoreOrders;

public static class StoreOrdersRegistration
{
    /// <summary>The store's queue and the clerk's steps: accept, reject (and rerouting), ready.</summary>
    public static IServiceCollection AddStoreOrders(this IServiceCollection services)
    {
        services.AddSingleton<StoreOrderTable>();
        services.AddSingleton<StoreOrderSteps>();
        services.AddSingleton<Rerouting>();
        services.AddSingleton<IOrderEventFollower, StoreQueueFollower>();
        services.AddSingleton<IStoreBacklog, StoreBacklog>();
        return services;
    }
}
