using Azure;
using Polly;
using Polly.Retry;

namespace O2O.Application.Storage;

/// <summary>
/// The retry loop for read-modify-write with ETags: when another writer won (412, or 409 for a
/// concurrent insert), read again and re-apply. Transport faults are the SDK's own retry's job.
/// </summary>
public sealed class OptimisticConcurrency(TimeProvider timeProvider)
{
    /// <summary>Enough for a flash sale's burst on one stock row; each attempt is a fresh read and write.</summary>
    public const int MaxAttempts = 30;

    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(IsLostRace),
            MaxRetryAttempts = MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromMilliseconds(250),
        })
        .Build();

    public static bool IsLostRace(RequestFailedException e) => e.Status is 409 or 412;

    public ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> readModifyWrite, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(readModifyWrite, cancellationToken);
}
