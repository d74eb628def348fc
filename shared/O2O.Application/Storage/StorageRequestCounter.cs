using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace O2O.Application.Storage;

/// <summary>
/// Counts every request the app sends to storage, retries included (per-retry pipeline policies,
/// one per service), by kind of operation: the measure behind "storage round trips per order"
/// and, through it, the storage bill. A host that names who is calling (<see cref="CallerScope"/>)
/// gets them by caller too, so a benchmark can say which function spends what.
/// </summary>
public sealed class StorageRequestCounter
{
    /// <summary>The caller of requests made outside any named scope: the host's own polling and settling.</summary>
    public const string Host = "(host)";

    private static readonly AsyncLocal<string?> Caller = new();

    private readonly ConcurrentDictionary<string, long> _byOperation = new();
    private readonly ConcurrentDictionary<(string Caller, string Operation), long> _byCaller = new();
    private long _requests;
    private long _retriedAnswers;

    public StorageRequestCounter()
    {
        Tables = new ServicePolicy(this, request =>
        {
            Heat?.Record(request);
            return TableOperation(request);
        });
        Queues = new ServicePolicy(this, QueueOperation);
    }

    /// <summary>The policy for table clients.</summary>
    public HttpPipelinePolicy Tables { get; }

    /// <summary>The policy for queue clients.</summary>
    public HttpPipelinePolicy Queues { get; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Set by a benchmark to see how the load lands on table partitions; null (off) otherwise.</summary>
    public PartitionHeat? Heat { get; set; }

    /// <summary>Answers storage gave that the SDK retries (408, 429, 500, 503…): each costs a back-off of a second or more.</summary>
    public long RetriedAnswers => Interlocked.Read(ref _retriedAnswers);

    /// <summary>Requests so far by operation, as "table.batch", "queue.send" and so on.</summary>
    public IReadOnlyDictionary<string, long> ByOperation => new Dictionary<string, long>(_byOperation);

    /// <summary>Requests so far by caller (a function's name, or <see cref="Host"/>) and operation.</summary>
    public IReadOnlyDictionary<(string Caller, string Operation), long> ByCaller => new Dictionary<(string, string), long>(_byCaller);

    /// <summary>Attributes the requests made in this async flow to <paramref name="caller"/> until disposed.</summary>
    public static CallerScope Attribute(string caller)
    {
        var previous = Caller.Value;
        Caller.Value = caller;
        return new CallerScope(previous);
    }

    private void Count(string operation)
    {
        Interlocked.Increment(ref _requests);
        _byOperation.AddOrUpdate(operation, 1, (_, n) => n + 1);
        _byCaller.AddOrUpdate((Caller.Value ?? Host, operation), 1, (_, n) => n + 1);
    }

    public readonly struct CallerScope(string? previous) : IDisposable
    {
        public void Dispose() => Caller.Value = previous;
    }

    private static string TableOperation(Request request) =>
        request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) ? "table.batch"
        : request.Method == RequestMethod.Get ? "table.read"
        : "table.write";

    private static string QueueOperation(Request request)
    {
        var path = request.Uri.Path;
        if (path.EndsWith("/messages", StringComparison.Ordinal))
            return request.Method == RequestMethod.Post ? "queue.send"
                : request.Uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "queue.peek"
                : request.Method == RequestMethod.Get ? "queue.receive"
                : "queue.clear";
        if (path.Contains("/messages/", StringComparison.Ordinal))
            return request.Method == RequestMethod.Delete ? "queue.delete" : "queue.update";
        return "queue.manage";
    }

    private sealed class ServicePolicy(StorageRequestCounter counter, Func<Request, string> classify) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Count(classify(message.Request));

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Response.Status is 408 or 429 or >= 500) Interlocked.Increment(ref counter._retriedAnswers);
        }
    }
}
