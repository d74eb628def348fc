using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace O2O.Application.Storage;

/// <summary>
/// Counts every request the app sends to storage, retries included (per-retry pipeline policies,
/// one per service), by kind of operation: the measure behind "storage round trips per order"
/// and, through it, the storage bill.
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly ConcurrentDictionary<string, long> _byOperation = new();
    private long _requests;

    public StorageRequestCounter()
    {
        Tables = new ServicePolicy(this, TableOperation);
        Queues = new ServicePolicy(this, QueueOperation);
    }

    /// <summary>The policy for table clients.</summary>
    public HttpPipelinePolicy Tables { get; }

    /// <summary>The policy for queue clients.</summary>
    public HttpPipelinePolicy Queues { get; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests so far by operation, as "table.batch", "queue.send" and so on.</summary>
    public IReadOnlyDictionary<string, long> ByOperation => new Dictionary<string, long>(_byOperation);

    private void Count(string operation)
    {
        Interlocked.Increment(ref _requests);
        _byOperation.AddOrUpdate(operation, 1, (_, n) => n + 1);
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
    }
}
