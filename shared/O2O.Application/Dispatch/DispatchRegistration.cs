using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using O2O.Application.Dispatch.Couriers;
using O2O.Application.Orders;

namespace O2O.Application.Dispatch;

public static class DispatchRegistration
{
    /// <summary>Same-city delivery: the courier platforms, booking, their webhooks and the watchdog.</summary>
    public static IServiceCollection AddDispatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DeliverySettings>(configuration);
        // A platform's secret is what tells its webhooks from forgeries (and signs our requests): an
        // empty one would accept anyone's signature, so the app refuses to start without it.
        services.AddSettings<DadaSettings>(configuration)
            .Validate(s => s.AppSecret.Length > 0, "Set Dada__AppSecret: Dada's requests are signed with it.").ValidateOnStart();
        services.AddSettings<MeituanSettings>(configuration)
            .Validate(s => s.Secret.Length > 0, "Set Meituan__Secret: without it any Meituan webhook would pass.").ValidateOnStart();
        services.AddSettings<SfSettings>(configuration)
            .Validate(s => s.DevKey.Length > 0, "Set Sf__DevKey: without it any SF webhook would pass.").ValidateOnStart();
        services.AddSingleton<DispatchQueue>();
        // One client, one pipeline and so one circuit breaker per platform: a platform that is down
        // is cut off on its own, and dispatch falls back to the next.
        services.AddHttpClient<DadaPlatform>().AddStandardResilienceHandler(CourierResilience);
        services.AddHttpClient<MeituanPlatform>().AddStandardResilienceHandler(CourierResilience);
        services.AddHttpClient<SfPlatform>().AddStandardResilienceHandler(CourierResilience);
        services.AddTransient<CourierPlatforms>();
        services.AddTransient<Dispatcher>();
        services.AddTransient<IDeliveryQuotes, CourierQuotes>();
        services.AddTransient<CourierWebhooks>();
        services.AddTransient<DispatchWatchdog>();
        services.AddSingleton<IOrderEventFollower, DeliveryStock>();
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
