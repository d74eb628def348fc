using System.Collections.Concurrent;

namespace O2O.LocalHost;

/// <summary>
/// What the host ran: executions and their summed duration per function, and the time during which
/// at least one function was running (what Flex Consumption bills an instance's memory for).
/// </summary>
/// <remarks>The clock is injected so that a test moves time instead of sleeping.</remarks>
public sealed class FunctionExecutions(TimeProvider clock)
{
    public FunctionExecutions()
        : this(TimeProvider.System)
    {
    }

    private readonly ConcurrentDictionary<string, Totals> _byFunction = new();
    private readonly Lock _busyLock = new();
    private int _running;
    private long _busySince;
    private long _busyTicks;

    public sealed record Totals(long Count, TimeSpan Duration);

    public IReadOnlyDictionary<string, Totals> ByFunction => new Dictionary<string, Totals>(_byFunction);

    /// <summary>Executions in progress now.</summary>
    public int Running
    {
        get
        {
            lock (_busyLock) return _running;
        }
    }

    /// <summary>Wall-clock time with one or more executions in progress.</summary>
    public TimeSpan Busy
    {
        get
        {
            lock (_busyLock)
                return clock.GetElapsedTime(0, _busyTicks + (_running > 0 ? clock.GetTimestamp() - _busySince : 0));
        }
    }

    public long Started()
    {
        lock (_busyLock)
        {
            if (_running++ == 0) _busySince = clock.GetTimestamp();
        }
        return clock.GetTimestamp();
    }

    public void Finished(string function, long startedAt)
    {
        var duration = clock.GetElapsedTime(startedAt);
        _byFunction.AddOrUpdate(function, new Totals(1, duration), (_, t) => new Totals(t.Count + 1, t.Duration + duration));
        lock (_busyLock)
        {
            if (--_running == 0) _busyTicks += clock.GetTimestamp() - _busySince;
        }
    }
}
