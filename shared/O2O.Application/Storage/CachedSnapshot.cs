namespace O2O.Application.Storage;

/// <summary>
/// A small, rarely written data set (the catalog, the store list) held in memory so the hot path
/// does not read it. A change made through this instance refreshes it at once; changes made on
/// other instances are seen within <see cref="Ttl"/>.
/// </summary>
public sealed class CachedSnapshot<T>(Func<CancellationToken, Task<T>> load, TimeProvider clock) where T : class
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _current;
    private long _generation;

    public async ValueTask<T> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } fresh && clock.GetUtcNow() < fresh.ExpiresAt) return fresh.Value;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed it while this one waited.
            if (_current is { } refreshed && clock.GetUtcNow() < refreshed.ExpiresAt) return refreshed.Value;
            var generation = Interlocked.Read(ref _generation);
            var value = await load(cancellationToken);
            // A change made while this load ran may be missing from it: keep it only if there was none.
            if (generation == Interlocked.Read(ref _generation)) _current = new Snapshot(value, clock.GetUtcNow() + Ttl);
            return value;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _current = null;
    }

    private sealed record Snapshot(T Value, DateTimeOffset ExpiresAt);
}
