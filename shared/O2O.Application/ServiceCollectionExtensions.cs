using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using O2O.Application.AfterSales;
using O2O.Application.Agents;
using O2O.Application.Auth;
using O2O.Application.Catalog;
using O2O.Application.Dispatch;
using O2O.Application.HeadOffice;
using O2O.Application.Notifications;
using O2O.Application.Operations;
using O2O.Application.OrderCenter;
using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Pickup;
using O2O.Application.Platform;
using O2O.Application.Promises;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.StoreOrders;
using O2O.Application.Stores;
using O2O.Application.Telemetry;

namespace O2O.Application;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Everything the app's functions depend on: the shared ground, then each feature's own
    /// registration. The Functions host (Program.cs) and the local host both call this, so both run
    /// the same services. The order of the features is the order in which order-event followers run
    /// (the store's queue, then the case lists, then the agents' ledgers).
    /// </summary>
    public static IServiceCollection AddO2OBackend(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatform(configuration)
            .AddTelemetry(configuration)
            .AddAuth()
            .AddHeadOffice(configuration)
            .AddNotifications(configuration)
            .AddCatalog()
            .AddStores(configuration)
            .AddStoreOrders()
            .AddPickup()
            .AddOrders(configuration)
            .AddAfterSales(configuration)
            .AddAgents(configuration)
            .AddDispatch(configuration)
            .AddPayments(configuration)
            .AddOrderCenter(configuration)
            .AddPromises();

    /// <summary>Binds a settings class to its section: the one place a feature's settings are read from configuration.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration configuration) where T : class, ISettingsSection =>
        services.AddOptions<T>().Bind(configuration.GetSection(T.SectionName));

    /// <summary>A settings section's values while services are being registered, before options exist (which exporter to add, say).</summary>
    public static T ReadSettings<T>(this IConfiguration configuration) where T : class, ISettingsSection, new() =>
        configuration.GetSection(T.SectionName).Get<T>() ?? new T();

    /// <summary>Shared ground: the clock, storage clients and turns, settings and secrets checks, limits, health and the operators' tools.</summary>
    private static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSettings<AuthSettings>(configuration).ValidateOnStart();
        var development = string.Equals(configuration[DeployedSecrets.EnvironmentKey], "Development", StringComparison.OrdinalIgnoreCase);
        services.AddSingleton<IValidateOptions<AuthSettings>>(new DeployedSecrets(development,
            DeployedSecrets.OwnSecrets.Concat(DeployedSecrets.PartnerSecrets).ToDictionary(key => key, key => configuration[key])));
        services.AddSingleton<IValidateOptions<HeadOfficeSettings>>(new HeadOfficeSettingsCheck(development));
        services.AddSettings<WeChatSettings>(configuration);
        services.AddSingleton<AccessTokenCache>();
        services.AddHttpClient<WeChatApi>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSettings<EventGridSettings>(configuration);
        services.AddSingleton<StorageRequestCounter>();
        services.AddSingleton<KeyedTurns>();
        services.AddSingleton(sp => StorageClients.CreateTableService(configuration, sp.GetRequiredService<StorageRequestCounter>()));
        services.AddSingleton(sp => StorageClients.CreateQueueService(configuration, sp.GetRequiredService<StorageRequestCounter>()));
        services.AddHostedService<StorageProvisioner>();
        services.AddSingleton<OptimisticConcurrency>();
        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<BuyerRateLimits>();
        services.AddSingleton<HealthCheck>();
        services.AddSingleton<PoisonQueues>();
        services.AddSingleton<ConsistencyChecker>();
        return services;
    }
}
