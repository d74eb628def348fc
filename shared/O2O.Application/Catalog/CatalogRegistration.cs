using Microsoft.Extensions.DependencyInjection;

namespace O2O.Application.Catalog;

public static class CatalogRegistration
{
    /// <summary>SKUs and the cached catalog checkout prices from.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<SkuTable>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<CatalogService>();
        return services;
    }
}
