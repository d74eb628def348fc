using System.Globalization;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Pickup;

/// <summary>
/// Pickup codes and wrong-code counters live in the store's partition of the Stock table
/// ("code|{code}", "vf|{window}"), beside its stock rows and reservations, so verifying a code,
/// consuming the stock and settling the reservation are one entity group transaction.
/// </summary>
public sealed class PickupCodeTable(TableServiceClient service, OptimisticConcurrency concurrency)
{
    private const string CodePrefix = "code|";
    private const string FailurePrefix = "vf|";

    private readonly TableClient _table = service.GetTableClient(StorageNames.StockTable);

    public static string CodeRowKey(string code) => CodePrefix + code;

    /// <summary>Claims a code for an order; false if the code is already some open order's.</summary>
    public async Task<bool> TryClaimAsync(string storeId, string code, string orderId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var row = new PickupCodeEntity { PartitionKey = storeId, RowKey = CodeRowKey(code), OrderId = orderId, State = PickupCodeState.Open, ExpiresAt = expiresAt };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await FindAsync(storeId, code, cancellationToken);
            // A used code may be issued again; an open one belongs to someone else (unless it is this order's own).
            if (existing is null || existing.OrderId == orderId) return existing is not null;
            if (existing.State == PickupCodeState.Open) return false;
            row.ETag = existing.ETag;
            try
            {
                await _table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException lost) when (lost.Status == 412)
            {
                return false;
            }
        }
    }

    /// <summary>The store's codes still waiting for their consumer.</summary>
    public async Task<IReadOnlyList<PickupCodeEntity>> ListOpenAsync(string storeId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {CodePrefix} and RowKey lt {"code}"} and State eq {PickupCodeState.Open}");
        var rows = new List<PickupCodeEntity>();
        await foreach (var row in _table.QueryAsync<PickupCodeEntity>(filter, cancellationToken: cancellationToken)) rows.Add(row);
        return rows;
    }

    /// <summary>Saves a code row read earlier; false if it changed meanwhile (a clerk verified it).</summary>
    public async Task<bool> TrySaveAsync(PickupCodeEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    public Task<PickupCodeEntity?> FindAsync(string storeId, string code, CancellationToken cancellationToken) =>
        _table.FindAsync<PickupCodeEntity>(storeId, CodeRowKey(code), cancellationToken);

    /// <summary>Wrong codes entered at a store in the window that contains <paramref name="now"/>.</summary>
    public async Task<int> FailuresAsync(string storeId, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        (await _table.FindAsync<FailureEntity>(storeId, FailureRowKey(now, window), cancellationToken))?.Count ?? 0;

    public async Task RecordFailureAsync(string storeId, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        await concurrency.RunAsync(async ct =>
        {
            var row = await _table.FindAsync<FailureEntity>(storeId, FailureRowKey(now, window), ct);
            if (row is null) await _table.AddEntityAsync(new FailureEntity { PartitionKey = storeId, RowKey = FailureRowKey(now, window), Count = 1 }, ct);
            else
            {
                row.Count++;
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
            }
            return true;
        }, cancellationToken);

    /// <summary>Fixed windows: the row of the window that contains <paramref name="now"/>.</summary>
    private static string FailureRowKey(DateTimeOffset now, TimeSpan window) =>
        FailurePrefix + (now.UtcTicks / window.Ticks * window.Ticks).ToString(CultureInfo.InvariantCulture);

    public sealed class PickupCodeEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string State { get; set; } = PickupCodeState.Open;
        public DateTimeOffset ExpiresAt { get; set; }
        public bool ReminderSent { get; set; }
    }

    public sealed class FailureEntity : TableRow
    {
        public int Count { get; set; }
    }
}

public static class PickupCodeState
{
    public const string Open = "Open";
    public const string Used = "Used";
    public const string Expired = "Expired";
}
