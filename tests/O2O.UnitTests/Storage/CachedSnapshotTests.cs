using Microsoft.Extensions.Time.Testing;
using O2O.Application.Storage;

namespace O2O.UnitTests.Storage;

public sealed class CachedSnapshotTests
{
    private readonly FakeTimeProvider _clock = new();
    private int _loads;

    [Fact]
    public async Task It_loads_once_per_ttl_and_again_after_an_invalidation()
    {
        var snapshot = new CachedSnapshot<string>(_ => Task.FromResult($"load {++_loads}"), _clock);

        Assert.Equal("load 1", await snapshot.GetAsync(CancellationToken.None));
        _clock.Advance(CachedSnapshot<string>.Ttl - TimeSpan.FromSeconds(1));
        Assert.Equal("load 1", await snapshot.GetAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("load 2", await snapshot.GetAsync(CancellationToken.None));
        snapshot.Invalidate();
        Assert.Equal("load 3", await snapshot.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_readers_of_a_stale_snapshot_cause_one_load()
    {
        var gate = new TaskCompletionSource();
        var snapshot = new CachedSnapshot<string>(async _ =>
        {
            Interlocked.Increment(ref _loads);
            await gate.Task;
            return "value";
        }, _clock);

        var readers = Enumerable.Range(0, 10).Select(_ => snapshot.GetAsync(CancellationToken.None).AsTask()).ToList();
        gate.SetResult();
        await Task.WhenAll(readers);

        Assert.Equal(1, _loads);
    }
}
