using System.Buffers.Text;
using System.Text;
using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>The reads every table adapter needs: a point read that may miss, a range, a whole partition; and a check of a page token.</summary>
public static class TableQueries
{
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var found = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The rows of one partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<T>> ListRangeAsync<T>(this TableClient table,
        string partitionKey, string prefix, CancellationToken cancellationToken)
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

/// <summary>
/// The page tokens this API hands out: the table service's own continuation, bound to the
/// partition it continues. A token that is not one of ours, or is another partition's, is told
/// apart before any query (the emulator would answer it with an empty page, Azure with an error).
/// </summary>
public static class PageTokens
{
    public static string? Wrap(string partitionKey, string? continuation) =>
        continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(partitionKey + "\n" + continuation));

    /// <summary>The table service's continuation inside <paramref name="token"/>; false when the token is not one issued for this partition.</summary>
    public static bool TryUnwrap(string? token, string partitionKey, out string? continuation)
    {
        continuation = null;
        if (token is null) return true;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!text.StartsWith(partitionKey + "\n", StringComparison.Ordinal)) return false;
            continuation = text[(partitionKey.Length + 1)..];
            return continuation.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
