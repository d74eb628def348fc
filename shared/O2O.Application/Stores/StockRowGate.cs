namespace O2O.Application.Stores;

/// <summary>
/// Within one instance, lets one reservation at a time write a store's row for a SKU. In a flash
/// sale a thousand checkouts land on one stock row; racing on its ETag, each round lets one
/// through and sends the rest back to re-read, so the row sees a thousand reads and writes per
/// sale unit and buyers get 503s. Queued at the gate instead, they take turns, each with a fresh
/// ETag that usually wins the first time. ETags still decide between instances.
/// </summary>
public sealed class StockRowGate(TimeProvider clock)
{
    /// <summary>Longer than this in the queue and the buyer is told 503 and to retry (the Retry-After), not left hanging.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Entry> _rows = new(StringComparer.Ordinal);

    /// <summary>
    /// Enters the gates of <paramref name="skus"/>' rows at the store, in one order so two carts cannot
    /// deadlock; null if they were not all free within <see cref="MaxWait"/>.
    /// </summary>
    public async Task<Pass?> EnterAsync(string storeId, IEnumerable<string> skus, CancellationToken cancellationToken)
    {
        var pass = new Pass(this);
        using var timeout = new CancellationTokenSource(MaxWait, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            foreach (var key in skus.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(sku => storeId + "|" + sku))
            {
                var entry = Rent(key);
                pass.Rented.Add(key);
                if (!entry.Semaphore.Wait(0))
                {
                    pass.Waited = true;
                    await entry.Semaphore.WaitAsync(either.Token);
                }
                pass.Entered.Add(key);
            }
            return pass;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            pass.Dispose();
            return null;
        }
        catch
        {
            pass.Dispose();
            throw;
        }
    }

    private Entry Rent(string key)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue(key, out var entry)) _rows[key] = entry = new Entry();
            entry.Users++;
            return entry;
        }
    }

    private void Return(string key, bool entered)
    {
        lock (_rows)
        {
            var entry = _rows[key];
            if (entered) entry.Semaphore.Release();
            // The last user removes the row's gate, so the dictionary holds only rows being bought now.
            if (--entry.Users == 0)
            {
                _rows.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    /// <summary>The rows entered; disposing leaves them to the next in line.</summary>
    public sealed class Pass(StockRowGate gate) : IDisposable
    {
        internal List<string> Rented { get; } = [];

        internal List<string> Entered { get; } = [];

        /// <summary>True when another reservation was writing first, so rows read before entering are stale.</summary>
        public bool Waited { get; internal set; }

        public void Dispose()
        {
            foreach (var key in Rented) gate.Return(key, Entered.Contains(key));
            Rented.Clear();
            Entered.Clear();
        }
    }
}
