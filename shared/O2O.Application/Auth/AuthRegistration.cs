using Microsoft.Extensions.DependencyInjection;

namespace O2O.Application.Auth;

public static class AuthRegistration
{
    /// <summary>Consumers' sign-in: WeChat login and session tokens.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddSingleton<SessionTokens>();
        services.AddHttpClient<WeChatLoginClient>(http => http.Timeout = WeChatLoginClient.Timeout);
        services.AddTransient<LoginService>(); // transient like the typed HttpClient it holds
        return services;
    }
}
