using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace O2O.Benchmarks;

/// <summary>
/// Single-entity inserts straight to Azurite, the fastest a write can be on this machine: the
/// floor a run's throughput is read against.
/// </summary>
public static class AzuriteFloor
{
    public sealed record RawRate(double WritesPerSecondConcurrent, double WritesPerSecondSequential, int Writers);

    public static async Task<RawRate> MeasureAsync(string connectionString, int writes, int writers)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("RawWrites" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("warm", "up"));

        var sequential = Stopwatch.StartNew();
        for (var i = 0; i < writes / 4; i++) await table.AddEntityAsync(new TableEntity("seq", i.ToString("D8", CultureInfo.InvariantCulture)));
        var sequentialRate = writes / 4 / sequential.Elapsed.TotalSeconds;

        var next = -1;
        var concurrent = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < writes)
                await table.AddEntityAsync(new TableEntity($"p{worker}", i.ToString("D8", CultureInfo.InvariantCulture)));
        }));
        var rate = new RawRate(writes / concurrent.Elapsed.TotalSeconds, sequentialRate, writers);
        await table.DeleteAsync();
        return rate;
    }
}
