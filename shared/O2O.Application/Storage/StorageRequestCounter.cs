using Azure.Core;
using Azure.Core.Pipeline;

namespace O2O.Application.Storage;

/// <summary>
/// Counts every request the app sends to storage, retries included (a per-retry pipeline policy):
/// the measure behind "storage round trips per order" and, through it, the storage bill.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _requests);
}
