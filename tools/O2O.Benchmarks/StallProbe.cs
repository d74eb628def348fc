using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace O2O.Benchmarks;

/// <summary>
/// Tells where a stall comes from while a benchmark runs: every 100 ms it reads one entity from
/// Azurite's table service and peeks at a queue of its queue service, with clients of its own
/// (outside the app's pipeline and count), and separately notes how late its own timer ticks (the
/// .NET process's threads, or a GC, holding things up). Stalls that the process probe sees too
/// are the machine's; those only a storage probe sees are that Azurite service's.
/// </summary>
public sealed class StallProbe : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _table;
    private readonly Task _queue;
    private readonly Task _process;
    private readonly List<(DateTime At, TimeSpan Took)> _tableStalls = [];
    private readonly List<(DateTime At, TimeSpan Took)> _queueStalls = [];
    private readonly List<(DateTime At, TimeSpan Late)> _processStalls = [];

    public StallProbe(string connectionString)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("stallprobe");
        var queue = new QueueServiceClient(connectionString).GetQueueClient("stallprobe");
        _table = ProbeStorageAsync(
            async ct => { await table.CreateIfNotExistsAsync(ct); await table.UpsertEntityAsync(new TableEntity("p", "p"), cancellationToken: ct); },
            ct => table.GetEntityAsync<TableEntity>("p", "p", cancellationToken: ct), _tableStalls);
        _queue = ProbeStorageAsync(ct => queue.CreateIfNotExistsAsync(cancellationToken: ct), ct => queue.PeekMessagesAsync(1, ct), _queueStalls);
        _process = ProbeProcessAsync();
    }

    private async Task ProbeStorageAsync(Func<CancellationToken, Task> prepare, Func<CancellationToken, Task> read, List<(DateTime At, TimeSpan Took)> stalls)
    {
        await prepare(_stop.Token);
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await read(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var took = Stopwatch.GetElapsedTime(started);
            if (took > Stall) lock (stalls) stalls.Add((DateTime.UtcNow - took, took));
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
        List<(DateTime, TimeSpan)> table, queue, process;
        lock (_tableStalls) table = [.. _tableStalls];
        lock (_queueStalls) queue = [.. _queueStalls];
        lock (_processStalls) process = [.. _processStalls];
        return $"table probe (a point read every {Period.TotalMilliseconds:F0} ms) over {Stall.TotalSeconds:F0} s: "
               + (table.Count == 0 ? "none" : List<TimeSpan>(table, since))
               + $"; queue probe (a peek every {Period.TotalMilliseconds:F0} ms): "
               + (queue.Count == 0 ? "none" : List<TimeSpan>(queue, since))
               + $"; process probe (its timer late by over {Stall.TotalSeconds:F0} s): "
               + (process.Count == 0 ? "none" : List<TimeSpan>(process, since));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_table, _queue, _process);
        _stop.Dispose();
    }
}
