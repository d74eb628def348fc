using System.Collections.Concurrent;
using O2O.Application.Orders;

namespace O2O.Application.StoreOrders;

/// <summary>
/// A store's orders in hand (paid or accepted, placed within <see cref="Lookback"/>), from the newest
/// rows of its queue, for the promise of an order placed for now. Counted once per store every <see cref="FreshFor"/> within an instance: an estimate
/// that lags half a minute costs a checkout nothing most of the time, where counting each time would
/// add a request to every checkout.
/// </summary>
public sealed class StoreBacklog(StoreOrderTable storeOrders, TimeProvider clock) : IStoreBacklog
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

    /// <summary>Orders placed longer ago and still in hand are a slot's, days ahead, or forgotten: not the queue an order for now waits behind.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset At)> _counted = new(StringComparer.Ordinal);

    public async Task<int> OrdersAheadAsync(string storeId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_counted.TryGetValue(storeId, out var counted) && now - counted.At < FreshFor) return counted.Count;
        var count = await storeOrders.InHandSinceAsync(storeId, now - Lookback, cancellationToken);
        _counted[storeId] = (count, now);
        return count;
    }
}
