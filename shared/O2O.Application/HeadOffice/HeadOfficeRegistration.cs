using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace O2O.Application.HeadOffice;

public static class HeadOfficeRegistration
{
    /// <summary>Head office's sign-in (Entra ID, the platform's principal, the admin key) and its audit trail.</summary>
    public static IServiceCollection AddHeadOffice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<HeadOfficeSettings>(configuration).ValidateOnStart();
        services.AddHttpClient(EntraTokens.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<EntraTokens>();
        services.AddSingleton<HeadOfficeSignIn>();
        services.AddSingleton<AuditTable>();
        services.AddSingleton<HeadOfficeAudit>();
        return services;
    }
}
