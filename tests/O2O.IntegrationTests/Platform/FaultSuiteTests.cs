using O2O.Benchmarks;
using Xunit.Abstractions;

namespace O2O.IntegrationTests.Platform;

/// <summary>
/// The fault suite in miniature (`-- faults` runs it long): lifecycles through a storage outage,
/// failing and slow courier platforms, duplicated, reordered and forged callbacks; afterwards no
/// order lost or unfinished, no stock leaked, no event missing, no notification doubled, the
/// consistency checker clean.
/// </summary>
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Orders_come_through_a_storage_outage_failing_partners_and_forged_callbacks_with_nothing_lost_or_leaked()
    {
        var result = await FaultSuite.RunAsync(new FaultSuite.Options(Orders: 24, Concurrency: 6, Outage: TimeSpan.FromSeconds(3)));
        output.WriteLine(FaultSuite.Report(result));

        Assert.Equal(1, result.Faults.GetValueOrDefault("Azurite outages"));
        Assert.True(result.Faults.GetValueOrDefault("forged payment notifications, refused") > 0, "no forged payment notification was refused");
        Assert.True(result.Faults.GetValueOrDefault("replayed payment notifications, acknowledged") > 0, "no replayed notification was acknowledged");
        Assert.True(result.Faults.GetValueOrDefault("forged dada pushes with a correct MD5, changed nothing") > 0,
            "no correctly signed Dada forgery was tried");
        Assert.Equal(0, result.Faults.GetValueOrDefault("accepted forged dada pushes with a correct MD5"));
        Assert.All(result.Outcomes, o => Assert.Contains(o.Result, new[] { "PickedUp", "Delivered" }));
        Assert.Empty(result.Broken());
    }
}
