using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Orders;

namespace O2O.Application.StoreOrders;

public static class StoreOrdersRegistration
{
    /// <summary>The store's queue and its accept step.</summary>
    public static IServiceCollection AddStoreOrders(this IServiceCollection services)
    {
        services.AddSingleton<StoreOrderTable>();
        services.AddSingleton<OrderAcceptance>();
        services.AddSingleton<IOrderEventFollower, StoreQueueFollower>();
        return services;
    }
}
