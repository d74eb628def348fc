using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using O2O.Application.Storage;

namespace O2O.Application.Operations;

/// <summary>
/// How many messages the host has given up on: each queue's "-poison" queue, where a message goes
/// after its fifth failed try. A non-empty one is logged as a warning ("Poison queue … holds …"),
/// which the Bicep's alert rule watches for in Application Insights.
/// </summary>
public sealed partial class PoisonQueues(QueueServiceClient queues, ILogger<PoisonQueues> logger)
{
    public static string NameOf(string queue) => queue + "-poison";

    public async Task<IReadOnlyDictionary<string, int>> MeasureAsync(CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var queue in StorageNames.Queues)
        {
            int depth;
            try
            {
                depth = (await queues.GetQueueClient(NameOf(queue)).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                depth = 0; // the host creates a poison queue on its first poison message
            }
            depths[queue] = depth;
            if (depth > 0) LogPoisoned(logger, NameOf(queue), depth);
        }
        return depths;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poison queue {PoisonQueue} holds {Count} messages")]
    private static partial void LogPoisoned(ILogger logger, string poisonQueue, int count);
}
