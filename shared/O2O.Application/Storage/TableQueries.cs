using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>The two reads every table adapter needs: a point read that may miss, and a whole partition.</summary>
public static class TableQueries
{
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var found = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public static async Task<IReadOnlyList<T>> ListPartitionAsync<T>(this TableClient table, string partitionKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var rows = new List<T>();
        await foreach (var row in table.QueryAsync<T>(e => e.PartitionKey == partitionKey, cancellationToken: cancellationToken))
            rows.Add(row);
        return rows;
    }
}
