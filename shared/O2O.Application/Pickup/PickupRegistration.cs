using Microsoft.Extensions.DependencyInjection;

namespace O2O.Application.Pickup;

public static class PickupRegistration
{
    /// <summary>Ready, pickup codes, verification and uncollected pickups.</summary>
    public static IServiceCollection AddPickup(this IServiceCollection services)
    {
        services.AddSingleton<PickupService>();
        services.AddSingleton<PickupExpiry>();
        return services;
    }
}
