using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Orders;
using O2O.Application.Storage;

namespace O2O.Application.AfterSales;

public static class AfterSalesRegistration
{
    /// <summary>After-sales cases, their stock steps, deadlines and the lists that follow them.</summary>
    public static IServiceCollection AddAfterSales(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AfterSalesSettings>(configuration)
            .Validate(s => s.Valid(),
                "AfterSales__*: WindowDays 1–90, StoreAnswerHours 1–336, ReturnDays 1–30, StoreApprovalLimitFen not negative, HeadOfficeAnswerHours 1–720.")
            .ValidateOnStart();
        services.AddSingleton<StoreAfterSalesTable>();
        services.AddSingleton<HeadOfficeCases>();
        services.AddSingleton<AfterSalesLists>();
        services.AddSingleton<IOrderEventFollower>(sp => sp.GetRequiredService<AfterSalesLists>());
        services.AddSingleton<AfterSalesDueTable>();
        services.AddSingleton<CaseStock>();
        services.AddSingleton<AfterSalesService>();
        services.AddSingleton<AfterSalesDeadlines>();
        return services;
    }
}
