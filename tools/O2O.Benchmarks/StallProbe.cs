using System.Diagnostics;
using Azure.Data.Tables;

namespace O2O.Benchmarks;

/// <summary>
/// Tells where a stall comes from while a benchmark runs: every 100 ms it reads one entity from
/// Azurite with a client of its own (outside the app's pipeline and count), and separately notes
/// how late its own timer ticks (the .NET process's threads, or a GC, holding things up). Stalls
/// that both see are the machine's; only the storage probe's are Azurite's.
/// </summary>
public sealed class StallProbe : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _storage;
    private readonly Task _process;
    private readonly List<(DateTime At, TimeSpan Took)> _storageStalls = [];
    private readonly List<(DateTime At, TimeSpan Late)> _processStalls = [];

    public StallProbe(string connectionString)
    {
        _storage = ProbeStorageAsync(new TableServiceClient(connectionString).GetTableClient("stallprobe"));
        _process = ProbeProcessAsync();
    }

    public IReadOnlyList<(DateTime At, TimeSpan Took)> StorageStalls => _storageStalls;

    public IReadOnlyList<(DateTime At, TimeSpan Late)> ProcessStalls => _processStalls;

    private async Task ProbeStorageAsync(TableClient table)
    {
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "p"));
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await table.GetEntityAsync<TableEntity>("p", "p", cancellationToken: _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var took = Stopwatch.GetElapsedTime(started);
            if (took > Stall) lock (_storageStalls) _storageStalls.Add((DateTime.UtcNow - took, took));
            await Delay();
        }
    }

    private async Task ProbeProcessAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            await Delay();
            var late = Stopwatch.GetElapsedTime(started) - Period;
            if (late > Stall) lock (_processStalls) _processStalls.Add((DateTime.UtcNow - late, late));
        }
    }

    private async Task Delay()
    {
        try
        {
            await Task.Delay(Period, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One line for a report.</summary>
    public string Describe(DateTime since)
    {
        static string List<T>(IEnumerable<(DateTime At, TimeSpan Span)> stalls, DateTime since) =>
            string.Join(", ", stalls.Select(s => $"{(s.At - since).TotalSeconds:F0} s in: {s.Span.TotalSeconds:F1} s"));
        List<(DateTime, TimeSpan)> storage, process;
        lock (_storageStalls) storage = [.. _storageStalls];
        lock (_processStalls) process = [.. _processStalls];
        return $"storage probe (a point read every {Period.TotalMilliseconds:F0} ms) over {Stall.TotalSeconds:F0} s: "
               + (storage.Count == 0 ? "none" : List<TimeSpan>(storage, since))
               + $"; process probe (its timer late by over {Stall.TotalSeconds:F0} s): "
               + (process.Count == 0 ? "none" : List<TimeSpan>(process, since));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_storage, _process);
        _stop.Dispose();
    }
}
