using Microsoft.Extensions.Time.Testing;
using O2O.Application.Stores;

namespace O2O.UnitTests.Stores;

public sealed class StockRowGateTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Buyers_of_one_row_take_turns_and_the_second_knows_its_earlier_read_is_stale()
    {
        var gate = new StockRowGate(_clock);
        using var first = await gate.EnterAsync("S1", ["TEA"], CancellationToken.None);

        var second = gate.EnterAsync("S1", ["TEA"], CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first!.Dispose();
        using var entered = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(first.Waited);
        Assert.True(entered!.Waited);
    }

    [Fact]
    public async Task Other_rows_and_other_stores_do_not_wait()
    {
        var gate = new StockRowGate(_clock);
        using var held = await gate.EnterAsync("S1", ["TEA"], CancellationToken.None);

        using var otherSku = await gate.EnterAsync("S1", ["COFFEE"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        using var otherStore = await gate.EnterAsync("S2", ["TEA"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(otherSku!.Waited);
        Assert.False(otherStore!.Waited);
    }

    [Fact]
    public async Task A_buyer_kept_waiting_past_the_limit_is_turned_away_and_leaves_the_queue()
    {
        var gate = new StockRowGate(_clock);
        using var held = await gate.EnterAsync("S1", ["TEA", "COFFEE"], CancellationToken.None);

        var waiting = gate.EnterAsync("S1", ["COFFEE"], CancellationToken.None);
        _clock.Advance(StockRowGate.MaxWait + TimeSpan.FromMilliseconds(1));

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        held!.Dispose();
        using var next = await gate.EnterAsync("S1", ["COFFEE"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(next!.Waited); // the buyer turned away did not keep the row
    }

    [Fact]
    public async Task Carts_naming_two_rows_in_either_order_do_not_deadlock()
    {
        var gate = new StockRowGate(_clock);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var pass = await gate.EnterAsync("S1", i % 2 == 0 ? ["A", "B"] : ["B", "A"], CancellationToken.None);
            Assert.NotNull(pass);
            await Task.Yield();
        })).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
