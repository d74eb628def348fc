using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Payments.WeChatPay;

namespace O2O.Application.Payments;

public static class PaymentsRegistration
{
    /// <summary>WeChat Pay: prepay, notifications, checks, refunds and their reconciliation.</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WeChatPaySettings>(configuration);
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
        services.AddSingleton<RefundQueue>();
        services.AddSingleton<RefundTable>();
        services.AddSingleton<PaymentCheckQueue>();
        // Transient, like the typed WeChat Pay client they hold.
        services.AddTransient<PaymentService>();
        services.AddTransient<RefundService>();
        services.AddTransient<PaymentNotifications>();
        services.AddTransient<RefundReconciler>();
        return services;
    }
}
