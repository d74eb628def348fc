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

    /// <summary>The rows of one partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<T>> ListRangeAsync<T>(this TableClient table, string partitionKey, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var rows = new List<T>();
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {end}");
        await foreach (var row in table.QueryAsync<T>(filter, cancellationToken: cancellationToken))
            rows.Add(row);
        return rows;
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
