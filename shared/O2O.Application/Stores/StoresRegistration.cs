using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace O2O.Application.Stores;

public static class StoresRegistration
{
    /// <summary>Stores, their keys, stock, reservations and where each SKU is available.</summary>
    public static IServiceCollection AddStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<StoreSettings>(configuration)
            .Validate(s => TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out _) || s.TimeZone == StoreSettings.DefaultTimeZone,
                "Set Stores__TimeZone to an IANA time zone id this machine knows, such as Asia/Shanghai.")
            .ValidateOnStart();
        services.AddSingleton<StoreTable>();
        services.AddSingleton<StockTable>();
        services.AddSingleton<StoreDirectory>();
        services.AddSingleton<StoreService>();
        services.AddSingleton<StockService>();
        services.AddSingleton<StockReservations>();
        services.AddSingleton<StockAvailability>();
        services.AddSingleton<NearbyStores>();
        services.AddSingleton<SlotOffers>();
        services.AddSingleton<StoreKeys>();
        return services;
    }
}
