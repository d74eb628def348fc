using Azure.Storage.Queues;
using O2O.Application.Storage;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// Waits until the app has nothing left to do now: no visible message in any queue (a message
/// scheduled for later, such as a payment check at the deadline, does not count), no relay sweep
/// still hidden in the outbox queue (a change whose publication failed is published when its sweep
/// surfaces, up to a minute later), no fulfilled order still waiting for WeChat to confirm its
/// shipping information (the reconciler's list, which a poisoned upload leaves to it), no execution running, no event being delivered, nothing new
/// published for three seconds.
/// </summary>
public static class Settling
{
    public static async Task<bool> WaitAsync(BenchmarkHost host, TimeSpan timeout)
    {
        // A client of its own, outside the app's counted pipeline: watching must not add to the bill.
        var queues = new QueueServiceClient(host.Azurite.ConnectionString);
        var shippingDue = new Azure.Data.Tables.TableClient(host.Azurite.ConnectionString, StorageNames.ShippingDueTable);
        var eventGrid = host.Get<EventGridSandbox>();
        var executions = host.Get<FunctionExecutions>();
        var deadline = DateTime.UtcNow + timeout;
        var quietSince = DateTime.UtcNow;
        var lastEvents = -1;
        while (DateTime.UtcNow < deadline)
        {
            var pending = 0;
            try
            {
                await foreach (var queue in queues.GetQueuesAsync())
                    if (!queue.Name.EndsWith("-poison", StringComparison.Ordinal))
                        pending += (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(1)).Value.Length;
                // Hidden ones count too here: a sweep left behind is a publication still to come.
                pending += (await queues.GetQueueClient(StorageNames.OrderOutboxQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                // Rows only: their partitions are dated ("202612071955-2"); the buckets' markers are not work.
                await foreach (var _ in shippingDue.QueryAsync<Azure.Data.Tables.TableEntity>("PartitionKey lt 'a'", select: ["RowKey"], maxPerPage: 1))
                {
                    pending++;
                    break;
                }
            }
            catch (Azure.RequestFailedException)
            {
                pending = -1; // storage is down: not settled
            }
            var events = eventGrid.Received.Count;
            if (pending != 0 || eventGrid.DeliveriesInFlight > 0 || executions.Running > 0 || events != lastEvents) quietSince = DateTime.UtcNow;
            lastEvents = events;
            if (DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(3)) return true;
            await Task.Delay(250);
        }
        return false;
    }
}
