using System.Collections.Concurrent;
using O2O.Application.Orders;
using O2O.Domain.Orders;

namespace O2O.Application.StoreOrders;

/// <summary>
/// A store's orders in hand (paid or accepted), from its queue, for the promise of an order placed
/// for now. Counted once per store every <see cref="FreshFor"/> within an instance: an estimate
/// that lags half a minute costs a checkout nothing most of the time, where counting each time would
/// add a request to every checkout.
/// </summary>
public sealed class StoreBacklog(StoreOrderTable storeOrders, TimeProvider clock) : IStoreBacklog
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset At)> _counted = new(StringComparer.Ordinal);

    public async Task<int> OrdersAheadAsync(string storeId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_counted.TryGetValue(storeId, out var counted) && now - counted.At < FreshFor) return counted.Count;
        var count = (await storeOrders.InStatusAsync(storeId, [OrderStatus.Paid, OrderStatus.Accepted], cancellationToken)).Count;
        _counted[storeId] = (count, now);
        return count;
    }
}
