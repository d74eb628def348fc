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

public sealed class CachedSnapshotInvalidationTests
{
    [Fact]
    public async Task A_change_made_while_a_load_is_running_is_not_hidden_by_that_load()
    {
        var loads = 0;
        var firstLoadCanFinish = new TaskCompletionSource();
        var snapshot = new CachedSnapshot<string>(async _ =>
        {
            var n = Interlocked.Increment(ref loads);
            if (n == 1) await firstLoadCanFinish.Task; // a load that read the catalog before the change
            return $"load {n}";
        }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());

        var slow = snapshot.GetAsync(CancellationToken.None).AsTask();
        snapshot.Invalidate(); // an operator changed a SKU meanwhile
        firstLoadCanFinish.SetResult();

        Assert.Equal("load 1", await slow);
        Assert.Equal("load 2", await snapshot.GetAsync(CancellationToken.None));
    }
}
