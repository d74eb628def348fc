using O2O.Domain.Common;

namespace O2O.Application.Orders;

/// <summary>Reads of orders: a consumer sees only their own, a store the orders routed to it, an operator any.</summary>
public sealed class OrderQueries(OrderTable orders)
{
    public const int MaxPageSize = 50;

    /// <summary>Another consumer's order answers not_found, exactly like a missing one, so ids cannot be probed.</summary>
    public async Task<Result<OrderView>> GetForConsumerAsync(string consumerKey, string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindOwnAsync(consumerKey, orderId, cancellationToken);
        return stored is null ? NotFound(orderId) : OrderView.From(stored.Order);
    }

    public async Task<Result<OrderView>> GetForOperatorAsync(string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        return stored is null ? NotFound(orderId) : OrderView.ForHeadOffice(stored.Order);
    }

    /// <summary>An order routed to another store (or given back by this one) answers not_found, like a missing one.</summary>
    public async Task<Result<OrderView>> GetForStoreAsync(string storeId, string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        return stored is null || stored.Order.StoreId != storeId ? NotFound(orderId) : OrderView.ForStore(stored.Order);
    }

    public async Task<Result<OrderPage>> ListForConsumerAsync(string consumerKey, string? continuationToken, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize) return Error.Validation("pageSize", $"must be between 1 and {MaxPageSize}");
        if (continuationToken is { Length: > 1024 }) return Error.Validation("continuationToken", "is not one this API issued");
        var (page, next) = await orders.ListAsync(consumerKey, continuationToken, pageSize ?? 20, cancellationToken);
        return new OrderPage(page.Select(o => new OrderSummaryView(o.OrderId, o.Status,
            o.Mode.ToLowerInvariant(), o.StoreId, o.TotalFen, o.CreatedAt)).ToList(), next);
    }

    private static Error NotFound(string orderId) => Error.NotFound($"There is no order '{orderId}'.");
}
