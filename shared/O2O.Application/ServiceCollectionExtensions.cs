using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using O2O.Application.AfterSales;
using O2O.Application.Agents;
using O2O.Application.Auth;
using O2O.Application.Catalog;
using O2O.Application.Dispatch;
using O2O.Application.Dispatch.Couriers;
using O2O.Application.Notifications;
using O2O.Application.Operations;
using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Payments.WeChatPay;
using O2O.Application.Pickup;
using O2O.Application.Platform;
using O2O.Application.Storage;
using O2O.Application.StoreOrders;
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
        services.AddOptions<AuthSettings>().Bind(configuration.GetSection(AuthSettings.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthSettings>>(new DeployedSecrets(
            string.Equals(configuration[DeployedSecrets.EnvironmentKey], "Development", StringComparison.OrdinalIgnoreCase),
            DeployedSecrets.OwnSecrets.Concat(DeployedSecrets.PartnerSecrets).ToDictionary(key => key, key => configuration[key])));
        services.AddOptions<WeChatSettings>().Bind(configuration.GetSection(WeChatSettings.SectionName));
        services.AddOptions<OrderSettings>().Bind(configuration.GetSection(OrderSettings.SectionName));
        services.AddOptions<WeChatPaySettings>().Bind(configuration.GetSection(WeChatPaySettings.SectionName));
        services.AddOptions<EventGridSettings>().Bind(configuration.GetSection(EventGridSettings.SectionName));
        services.AddOptions<NotificationSettings>().Bind(configuration.GetSection(NotificationSettings.SectionName));
        services.AddOptions<AfterSalesSettings>().Bind(configuration.GetSection(AfterSalesSettings.SectionName))
            .Validate(s => s.Valid(), "AfterSales__*: WindowDays 1–90, StoreAnswerHours 1–336, ReturnDays 1–30, StoreApprovalLimitFen not negative.").ValidateOnStart();
        services.AddOptions<AgentSettings>().Bind(configuration.GetSection(AgentSettings.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AgentSettings>, AgentSettingsValidation>();
        services.AddOptions<DeliverySettings>().Bind(configuration.GetSection(DeliverySettings.SectionName));
        // A platform's secret is what tells its webhooks from forgeries (and signs our requests): an
        // empty one would accept anyone's signature, so the app refuses to start without it.
        services.AddOptions<DadaSettings>().Bind(configuration.GetSection(DadaSettings.SectionName))
            .Validate(s => s.AppSecret.Length > 0, "Set Dada__AppSecret: Dada's requests are signed with it.").ValidateOnStart();
        services.AddOptions<MeituanSettings>().Bind(configuration.GetSection(MeituanSettings.SectionName))
            .Validate(s => s.Secret.Length > 0, "Set Meituan__Secret: without it any Meituan webhook would pass.").ValidateOnStart();
        services.AddOptions<SfSettings>().Bind(configuration.GetSection(SfSettings.SectionName))
            .Validate(s => s.DevKey.Length > 0, "Set Sf__DevKey: without it any SF webhook would pass.").ValidateOnStart();

        services.AddSingleton<StorageRequestCounter>();
        services.AddSingleton<KeyedTurns>();
        services.AddSingleton(sp => StorageClients.CreateTableService(configuration, sp.GetRequiredService<StorageRequestCounter>()));
        services.AddSingleton(sp => StorageClients.CreateQueueService(configuration, sp.GetRequiredService<StorageRequestCounter>()));
        services.AddHostedService<StorageProvisioner>();
        services.AddSingleton<OptimisticConcurrency>();
        services.AddSingleton<HealthCheck>();
        services.AddSingleton<PoisonQueues>();
        services.AddSingleton<ConsistencyChecker>();

        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<SessionTokens>();
        services.AddHttpClient<WeChatLoginClient>(http => http.Timeout = WeChatLoginClient.Timeout);
        services.AddTransient<LoginService>(); // transient like the typed HttpClient it holds
        services.AddSingleton<AccessTokenCache>();
        services.AddHttpClient<WeChatMessageClient>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddTransient<ConsumerNotifications>();

        services.AddSingleton<SkuTable>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<CatalogService>();

        services.AddSingleton<StoreTable>();
        services.AddSingleton<StockTable>();
        services.AddSingleton<StoreDirectory>();
        services.AddSingleton<StoreService>();
        services.AddSingleton<StockService>();
        services.AddSingleton<StockReservations>();
        services.AddSingleton<StockAvailability>();
        services.AddSingleton<NearbyStores>();
        services.AddSingleton<StoreKeys>();
        services.AddSingleton<OrderAcceptance>();
        services.AddSingleton<PickupCodeTable>();
        services.AddSingleton<PickupService>();
        services.AddSingleton<StoreOrderTable>();
        services.AddSingleton<PickupExpiry>();

        services.AddSingleton<OrderTable>();
        services.AddSingleton<CheckoutService>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<DomainEventPublisher>();
        services.AddSingleton<OutboxRelay>();
        // What follows an order's events, in the order they run: the store's queue, the case lists, the agents' ledgers.
        services.AddSingleton<IOrderEventFollower, StoreQueueFollower>();
        services.AddSingleton<IOrderEventFollower>(sp => sp.GetRequiredService<AfterSalesLists>());
        services.AddSingleton<IOrderEventFollower>(sp => sp.GetRequiredService<CommissionSync>());
        services.AddSingleton<OrderChanges>();
        services.AddSingleton<RefundQueue>();
        services.AddSingleton<OpenRefunds>();
        services.AddSingleton<PaymentCheckQueue>();
        services.AddSingleton<OrderCancellation>();
        services.AddSingleton<Rerouting>();

        services.AddSingleton<AgentTable>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<BuyerRateLimits>();
        services.AddSingleton<CommissionLedger>();
        services.AddSingleton<CommissionDueTable>();
        services.AddSingleton<CommissionSync>();
        services.AddSingleton<WithdrawalDueTable>();
        services.AddTransient<WithdrawalService>(); // transient, like the typed WeChat Pay client it holds

        services.AddSingleton<StoreAfterSalesTable>();
        services.AddSingleton<HeadOfficeCases>();
        services.AddSingleton<AfterSalesLists>();
        services.AddSingleton<AfterSalesDueTable>();
        services.AddSingleton<CaseStock>();
        services.AddSingleton<AfterSalesService>();
        services.AddSingleton<AfterSalesDeadlines>();

        services.AddSingleton<DispatchQueue>();
        // One client, one pipeline and so one circuit breaker per platform: a platform that is down
        // is cut off on its own, and dispatch falls back to the next.
        services.AddHttpClient<DadaPlatform>().AddStandardResilienceHandler(CourierResilience);
        services.AddHttpClient<MeituanPlatform>().AddStandardResilienceHandler(CourierResilience);
        services.AddHttpClient<SfPlatform>().AddStandardResilienceHandler(CourierResilience);
        services.AddTransient<CourierPlatforms>();
        services.AddTransient<Dispatcher>();
        services.AddTransient<CourierWebhooks>();
        services.AddTransient<DispatchWatchdog>();

        services.AddSingleton<WeChatPayKeys>();
        services.AddHttpClient<WeChatPayClient>().AddStandardResilienceHandler(options =>
        {
            // WeChat Pay asks for an answer within seconds; three tries of 3 s, jittered, then the breaker.
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            // The default needs 100 calls in the window; payment traffic per instance is far lower.
            options.CircuitBreaker.MinimumThroughput = 10;
            options.CircuitBreaker.FailureRatio = 0.5;
        });
        // Transient, like the typed HttpClient they hold.
        services.AddTransient<PaymentService>();
        services.AddTransient<RefundService>(); // transient, like the typed WeChat Pay client it holds
        services.AddTransient<PaymentNotifications>();
        services.AddTransient<ReservationSweeper>();
        services.AddTransient<RefundReconciler>();
        return services;
    }

    /// <summary>
    /// A booking must be quick or go elsewhere: 3 s a try, three tries with jittered backoff within
    /// 10 s; the breaker opens when half of at least 4 calls in 30 s failed, for 30 s.
    /// </summary>
    private static void CourierResilience(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.Retry.MaxRetryAttempts = 2;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        options.CircuitBreaker.MinimumThroughput = 4;
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
    }
}
