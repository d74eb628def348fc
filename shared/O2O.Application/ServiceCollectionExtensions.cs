using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Catalog;
using O2O.Application.Platform;
using O2O.Application.Storage;
using O2O.Application.Stores;

namespace O2O.Application;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Everything the app's functions depend on. The Functions host (Program.cs) and the local
    /// host both call this, so both run the same services.
    /// </summary>
    public static IServiceCollection AddO2OBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<AuthSettings>().Bind(configuration.GetSection(AuthSettings.SectionName));

        services.AddSingleton(_ => StorageClients.CreateTableService(configuration));
        services.AddSingleton(_ => StorageClients.CreateQueueService(configuration));
        services.AddHostedService<StorageProvisioner>();
        services.AddSingleton<OptimisticConcurrency>();

        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<HealthCheck>();
        services.AddSingleton<SkuTable>();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<StoreTable>();
        services.AddSingleton<StockTable>();
        services.AddSingleton<StoreService>();
        services.AddSingleton<StockService>();
        return services;
    }
}
