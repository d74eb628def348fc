using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Operations;

/// <summary>Whether the app can reach its storage: what an operator (or a load balancer) asks first.</summary>
public sealed class HealthCheck(TableServiceClient tables)
{
    public async Task<bool> StorageReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A point read of a row that never exists: one cheap round trip that needs only data-plane rights.
            await tables.GetTableClient(StorageNames.SkusTable).GetEntityIfExistsAsync<TableEntity>("health", "probe", cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException)
        {
            return false;
        }
    }
}
