using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Orders;

namespace O2O.Application.OrderCenter;

public static class OrderCenterRegistration
{
    /// <summary>WeChat's order center: shipping uploads (a follower of order events), their reconciler, and WeChat's pushes.</summary>
    public static IServiceCollection AddOrderCenter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<OrderCenterSettings>(configuration)
            .Validate(s => s.ReconcileAfterMinutes is >= 1 and <= 60, "OrderCenter__ReconcileAfterMinutes must be 1–60.").ValidateOnStart();
        services.AddSingleton<ShippingDueTable>();
        services.AddTransient<WeChatShippingClient>(); // transient, like the typed WeChat client it holds
        services.AddSingleton<ShippingUploadQueue>();
        services.AddSingleton<IOrderEventFollower>(sp => sp.GetRequiredService<ShippingUploadQueue>());
        services.AddTransient<ShippingUploads>();
        services.AddTransient<OrderCenterPushes>();
        return services;
    }
}
