using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using O2O.Application.Storage.Outbox;

namespace O2O.Application.Orders;

public static class OrdersRegistration
{
    /// <summary>Checkout, the order table, changes and their outbox relay, cancellation, rerouting and the reservation sweeper.</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<OrderSettings>(configuration);
        services.AddSingleton<OrderTable>();
        services.AddTransient<CheckoutService>(); // transient: it asks courier platforms through their typed (transient) HttpClients
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<DomainEventPublisher>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<OrderChanges>();
        services.AddSingleton<OrderCancellation>();
        services.AddTransient<ReservationSweeper>();
        return services;
    }
}
