using Microsoft.Extensions.Time.Testing;
using O2O.LocalHost;

namespace O2O.UnitTests.LocalHost;

public sealed class FunctionExecutionsTests
{
    [Fact]
    public void Executions_are_counted_per_function_and_overlapping_ones_are_busy_time_once()
    {
        var clock = new FakeTimeProvider();
        var executions = new FunctionExecutions(clock);

        var first = executions.Started();
        var second = executions.Started();
        Assert.Equal(2, executions.Running);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        executions.Finished("PlaceOrder", first);
        executions.Finished("PlaceOrder", second);
        var third = executions.Started();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        executions.Finished("RelayOrderEvents", third);

        Assert.Equal(0, executions.Running);
        Assert.Equal(2, executions.ByFunction["PlaceOrder"].Count);
        Assert.Equal(1, executions.ByFunction["RelayOrderEvents"].Count);
        var summed = executions.ByFunction.Values.Aggregate(TimeSpan.Zero, (total, t) => total + t.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(300), summed);
        // Two executions side by side are one stretch of busy time, not two.
        Assert.Equal(TimeSpan.FromMilliseconds(200), executions.Busy);
    }
}
