using O2O.LocalHost;

namespace O2O.UnitTests.LocalHost;

public sealed class FunctionExecutionsTests
{
    [Fact]
    public async Task Executions_are_counted_per_function_and_overlapping_ones_are_busy_time_once()
    {
        var executions = new FunctionExecutions();

        var first = executions.Started();
        var second = executions.Started();
        Assert.Equal(2, executions.Running);
        await Task.Delay(100);
        executions.Finished("PlaceOrder", first);
        executions.Finished("PlaceOrder", second);
        var third = executions.Started();
        await Task.Delay(100);
        executions.Finished("RelayOrderEvents", third);

        Assert.Equal(0, executions.Running);
        Assert.Equal(2, executions.ByFunction["PlaceOrder"].Count);
        Assert.Equal(1, executions.ByFunction["RelayOrderEvents"].Count);
        var summed = executions.ByFunction.Values.Aggregate(TimeSpan.Zero, (total, t) => total + t.Duration);
        Assert.InRange(summed.TotalMilliseconds, 300, 5_000);
        // Two executions side by side are one stretch of busy time, not two.
        Assert.InRange(executions.Busy.TotalMilliseconds, 200, summed.TotalMilliseconds - 90);
    }
}
