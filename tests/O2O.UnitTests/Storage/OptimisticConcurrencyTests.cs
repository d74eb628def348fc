using Azure;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Storage;

namespace O2O.UnitTests.Storage;

public sealed class OptimisticConcurrencyTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_lost_race_is_retried_until_the_write_wins()
    {
        var attempts = 0;
        var run = new OptimisticConcurrency(_clock).RunAsync(_ =>
        {
            attempts++;
            return attempts < 4 ? throw new RequestFailedException(412, "precondition failed") : ValueTask.FromResult("saved");
        }, CancellationToken.None);

        Assert.Equal("saved", await AdvanceUntilDoneAsync(run.AsTask()));
        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task It_gives_up_after_the_attempt_budget()
    {
        var attempts = 0;
        var run = new OptimisticConcurrency(_clock).RunAsync<string>(_ =>
        {
            attempts++;
            throw new RequestFailedException(409, "conflict");
        }, CancellationToken.None);

        await Assert.ThrowsAsync<RequestFailedException>(() => AdvanceUntilDoneAsync(run.AsTask()));
        Assert.Equal(OptimisticConcurrency.MaxAttempts, attempts);
    }

    [Fact]
    public async Task Other_storage_failures_are_not_retried_here()
    {
        var attempts = 0;
        var run = new OptimisticConcurrency(_clock).RunAsync<string>(_ =>
        {
            attempts++;
            throw new RequestFailedException(503, "server busy");
        }, CancellationToken.None);

        await Assert.ThrowsAsync<RequestFailedException>(() => run.AsTask());
        Assert.Equal(1, attempts);
    }

    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        return await task;
    }
}
