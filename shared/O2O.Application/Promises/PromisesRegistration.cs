using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Orders;

namespace O2O.Application.Promises;

public static class PromisesRegistration
{
    /// <summary>The watch on every paid order's promise: at-risk and breached alerts.</summary>
    public static IServiceCollection AddPromises(this IServiceCollection services)
    {
        services.AddSingleton<PromisesDueTable>();
        services.AddSingleton<PromiseWatcher>();
        services.AddSingleton<IOrderEventFollower>(sp => sp.GetRequiredService<PromisesDueTable>());
        return services;
    }
}
