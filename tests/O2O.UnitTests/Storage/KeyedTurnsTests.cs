using Microsoft.Extensions.Time.Testing;
using O2O.Application.Storage;

namespace O2O.UnitTests.Storage;

public sealed class KeyedTurnsTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Callers_of_one_key_take_turns_and_the_second_knows_its_earlier_read_may_be_stale()
    {
        var turns = new KeyedTurns(_clock);
        using var first = await turns.EnterAsync(["S1|TEA"], CancellationToken.None);

        var second = turns.EnterAsync(["S1|TEA"], CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first!.Dispose();
        using var entered = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(first.Waited);
        Assert.True(entered!.Waited);
    }

    [Fact]
    public async Task Other_keys_do_not_wait()
    {
        var turns = new KeyedTurns(_clock);
        using var held = await turns.EnterAsync(["S1|TEA"], CancellationToken.None);

        using var otherSku = await turns.EnterAsync(["S1|COFFEE"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        using var otherStore = await turns.EnterAsync(["S2|TEA"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(otherSku!.Waited);
        Assert.False(otherStore!.Waited);
    }

    [Fact]
    public async Task A_caller_kept_waiting_past_the_limit_is_turned_away_and_leaves_the_line()
    {
        var turns = new KeyedTurns(_clock);
        using var held = await turns.EnterAsync(["S1|TEA", "S1|COFFEE"], CancellationToken.None);

        var waiting = turns.EnterAsync(["S1|COFFEE"], CancellationToken.None);
        _clock.Advance(KeyedTurns.MaxWait + TimeSpan.FromMilliseconds(1));

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        held!.Dispose();
        using var next = await turns.EnterAsync(["S1|COFFEE"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(next!.Waited); // the caller turned away did not keep the key
    }

    [Fact]
    public async Task Callers_naming_two_keys_in_either_order_do_not_deadlock()
    {
        var turns = new KeyedTurns(_clock);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var pass = await turns.EnterAsync(i % 2 == 0 ? ["A", "B"] : ["B", "A"], CancellationToken.None);
            Assert.NotNull(pass);
            await Task.Yield();
        })).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
