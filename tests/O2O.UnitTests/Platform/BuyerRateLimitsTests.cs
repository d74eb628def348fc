using Microsoft.Extensions.Time.Testing;
using O2O.Application.Platform;

namespace O2O.UnitTests.Platform;

public sealed class BuyerRateLimitsTests
{
    [Fact]
    public void A_buyer_over_the_limit_is_refused_until_the_next_minute_and_other_buyers_and_actions_are_not_affected()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var limits = new BuyerRateLimits(clock);
        var allowed = BuyerRateLimits.PerMinute(BuyerAction.Withdraw);

        var first = Enumerable.Range(0, allowed + 3).Select(_ => limits.TryAcquire(BuyerAction.Withdraw, "c-1")).ToList();
        var otherBuyer = limits.TryAcquire(BuyerAction.Withdraw, "c-2");
        var otherAction = limits.TryAcquire(BuyerAction.Login, "c-1");
        clock.Advance(BuyerRateLimits.Window);
        var nextMinute = limits.TryAcquire(BuyerAction.Withdraw, "c-1");

        Assert.Equal(allowed, first.Count(ok => ok));
        Assert.All(first.Skip(allowed), ok => Assert.False(ok));
        Assert.True(otherBuyer);
        Assert.True(otherAction);
        Assert.True(nextMinute);
    }

    [Fact]
    public void Parallel_requests_of_one_buyer_never_get_more_than_the_limit()
    {
        var limits = new BuyerRateLimits(new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero)));
        var granted = 0;

        Parallel.For(0, 200, _ =>
        {
            if (limits.TryAcquire(BuyerAction.Login, "c-1")) Interlocked.Increment(ref granted);
        });

        Assert.Equal(BuyerRateLimits.PerMinute(BuyerAction.Login), granted);
    }
}
