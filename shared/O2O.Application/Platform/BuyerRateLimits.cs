using System.Collections.Concurrent;

namespace O2O.Application.Platform;

/// <summary>What a buyer does that is worth limiting per buyer: each costs a partner call, a storage write or money.</summary>
public enum BuyerAction
{
    /// <summary>A login that WeChat answered: a session token and maybe a binding.</summary>
    Login,

    /// <summary>A share code offered for binding (at login or checkout).</summary>
    Bind,

    /// <summary>A new withdrawal (asking again about one is not limited).</summary>
    Withdraw,
}

/// <summary>
/// Per-buyer limits within one instance: fixed windows of a minute, counted in memory. Enough to
/// stop one buyer's script on one instance; what stands in front of the app in Azure (docs/deploying.md)
/// limits by address across instances. Windows that ended are dropped as new ones open, so memory
/// follows the buyers of the last minute, not every buyer ever seen.
/// </summary>
public sealed class BuyerRateLimits(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How many of each a buyer may do in a minute: generous for a person, small for a script.</summary>
    public static int PerMinute(BuyerAction action) => action switch
    {
        BuyerAction.Login => 10,
        BuyerAction.Bind => 10,
        _ => 5,
    };

    private const int PruneEvery = 1_000;

    private readonly ConcurrentDictionary<(BuyerAction, string), Counter> _windows = new();
    private int _opened;

    /// <summary>Counts one <paramref name="action"/> of <paramref name="buyer"/>; false when the buyer is over the limit for this minute.</summary>
    public bool TryAcquire(BuyerAction action, string buyer)
    {
        var now = clock.GetUtcNow();
        var window = now.UtcTicks / Window.Ticks;
        var counter = _windows.AddOrUpdate((action, buyer), _ => Opened(window), (_, current) => current.Window == window ? current : Opened(window));
        return Interlocked.Increment(ref counter.Count) <= PerMinute(action);
    }

    private Counter Opened(long window)
    {
        if (Interlocked.Increment(ref _opened) % PruneEvery == 0)
            foreach (var ended in _windows.Where(w => w.Value.Window < window)) _windows.TryRemove(ended);
        return new Counter(window);
    }

    private sealed class Counter(long window)
    {
        public long Window { get; } = window;
        public int Count;
    }
}
