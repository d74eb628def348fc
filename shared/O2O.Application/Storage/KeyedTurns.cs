namespace O2O.Application.Storage;

/// <summary>
/// Within one instance, callers naming the same key take turns instead of racing. Checkouts of
/// one stock row: in a flash sale a thousand land on one row, and racing on its ETag each round
/// lets one through and sends the rest back to re-read (a thousand reads and writes per unit
/// sold, and 503s); taking turns, each writes with a fresh ETag that wins the first time. Relay
/// runs of one order: two at once would both publish its new event. ETags still decide between
/// instances; this only stops an instance from racing itself.
/// </summary>
public sealed class KeyedTurns(TimeProvider clock)
{
    /// <summary>Longer than this in line and the caller is turned away (a buyer is told 503 and to retry), not left hanging.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the turn of every key, in one order so two callers naming the same keys cannot
    /// deadlock; null if they were not all free within <see cref="MaxWait"/>.
    /// </summary>
    public async Task<Pass?> EnterAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var pass = new Pass(this);
        using var timeout = new CancellationTokenSource(MaxWait, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
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
        lock (_keys)
        {
            if (!_keys.TryGetValue(key, out var entry)) _keys[key] = entry = new Entry();
            entry.Users++;
            return entry;
        }
    }

    private void Return(string key, bool entered)
    {
        lock (_keys)
        {
            var entry = _keys[key];
            if (entered) entry.Semaphore.Release();
            // The last user removes the key, so the dictionary holds only keys in use now.
            if (--entry.Users == 0)
            {
                _keys.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    /// <summary>The turns taken; disposing passes them to the next in line.</summary>
    public sealed class Pass(KeyedTurns turns) : IDisposable
    {
        internal List<string> Rented { get; } = [];

        internal List<string> Entered { get; } = [];

        /// <summary>True when another caller had the turn first, so what was read before entering may be stale.</summary>
        public bool Waited { get; internal set; }

        public void Dispose()
        {
            foreach (var key in Rented) turns.Return(key, Entered.Contains(key));
            Rented.Clear();
            Entered.Clear();
        }
    }
}
