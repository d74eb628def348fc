namespace O2O.Application.Orders;

/// <summary>How many orders a store has in hand ahead of a new one (paid or accepted, not yet ready); the store-orders feature answers it.</summary>
public interface IStoreBacklog
{
    Task<int> OrdersAheadAsync(string storeId, CancellationToken cancellationToken);
}
