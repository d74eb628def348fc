using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace O2O.Application.Notifications;

public static class NotificationsRegistration
{
    /// <summary>The buyer's subscribe messages.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<NotificationSettings>(configuration);
        services.AddTransient<WeChatMessageClient>();
        services.AddTransient<ConsumerNotifications>();
        return services;
    }
}
