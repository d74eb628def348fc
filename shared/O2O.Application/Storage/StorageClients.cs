using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace O2O.Application.Storage;

/// <summary>
/// Builds the clients of the app's data account (its tables and queues) from the <c>DataStorage</c>
/// setting: a connection string locally, identity-based service URIs in Azure. The Functions host
/// keeps its own account (<c>AzureWebJobsStorage</c>); the queue triggers name this setting as their
/// connection, since the app's queues are in the data account.
/// </summary>
public static class StorageClients
{
    public const string SettingName = "DataStorage";

    public static TableServiceClient CreateTableService(IConfiguration configuration, StorageRequestCounter counter)
    {
        var options = new TableClientOptions();
        options.AddPolicy(counter.Tables, HttpPipelinePosition.PerRetry);
        var connectionString = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(connectionString)) return new TableServiceClient(connectionString, options);
        return new TableServiceClient(ServiceUri(configuration, "tableServiceUri"), Credential(configuration), options);
    }

    /// <summary>Base64 messages, because queue triggers expect them by default.</summary>
    public static QueueServiceClient CreateQueueService(IConfiguration configuration, StorageRequestCounter counter)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.AddPolicy(counter.Queues, HttpPipelinePosition.PerRetry);
        var connectionString = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(connectionString)) return new QueueServiceClient(connectionString, options);
        return new QueueServiceClient(ServiceUri(configuration, "queueServiceUri"), Credential(configuration), options);
    }

    private static Uri ServiceUri(IConfiguration configuration, string name) =>
        Uri.TryCreate(configuration[$"{SettingName}:{name}"], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"Set {SettingName} to a connection string, or {SettingName}__{name} to the storage account's endpoint.");

    private static TokenCredential Credential(IConfiguration configuration)
    {
        var clientId = configuration[$"{SettingName}:clientId"];
        return string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
