using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace O2O.Application.Storage;

/// <summary>
/// Creates the tables and queues once at startup, never per call. In Azure the Bicep has already
/// created them and this is a no-op; locally it prepares a fresh Azurite.
/// </summary>
public sealed partial class StorageProvisioner(
    TableServiceClient tables, QueueServiceClient queues, ILogger<StorageProvisioner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(
                StorageNames.Tables.Select(t => tables.GetTableClient(t).CreateIfNotExistsAsync(cancellationToken))
                    .Concat<Task>(StorageNames.Queues.Select(q => queues.GetQueueClient(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keep the host up: health and logs are more use to the operator than a crash loop.
            LogProvisioningFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create the app's tables and queues")]
    private static partial void LogProvisioningFailed(ILogger logger, Exception exception);
}
