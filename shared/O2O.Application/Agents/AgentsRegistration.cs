using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Orders;
using O2O.Application.Storage;

namespace O2O.Application.Agents;

public static class AgentsRegistration
{
    /// <summary>Agents, attribution, the commission ledger (a follower of order events) and withdrawals.</summary>
    public static IServiceCollection AddAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AgentSettings>(configuration).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AgentSettings>, AgentSettingsValidation>();
        services.AddSingleton<AgentsTable>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<CommissionLedger>();
        services.AddSingleton<CommissionDueTable>();
        services.AddSingleton<CommissionSync>();
        services.AddSingleton<IOrderEventFollower, CommissionSyncQueue>();
        services.AddSingleton<WithdrawalDueTable>();
        services.AddTransient<WithdrawalService>(); // transient, like the typed WeChat Pay client it holds
        return services;
    }
}
