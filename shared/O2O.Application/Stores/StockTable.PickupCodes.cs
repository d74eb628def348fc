using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Stores;

/// <summary>
/// Pickup codes and wrong-code counters live in the store's partition of the Stock table
/// ("code|{code}", "vf|{window}"), beside its stock rows and reservations, so verifying a code,
/// consuming the stock and settling the reservation are one entity group transaction. A code is
/// closed once its order has followed (picked up or expired) and deleted by the store's code sweep
/// after a wrong-code window, so the store's code range stays small and a code just used is still
/// recognised as used rather than counted as a wrong guess.
/// </summary>
public sealed partial class StockTable
{
    private const string CodePrefix = "code|";
    private const string FailurePrefix = "vf|";

    public static string CodeRowKey(string code) => CodePrefix + code;

    /// <summary>
    /// Claims a new code for an order: 6 digits from a CSPRNG, unique among the store's open codes
    /// and unrelated to the order id.
    /// </summary>
    public async Task<string> ClaimNewCodeAsync(string storeId, string orderId,
        DateTimeOffset remindAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            if (await TryClaimAsync(storeId, code, orderId, remindAt, expiresAt, cancellationToken)) return code;
        }
        throw new InvalidOperationException($"Store {storeId} has no free pickup code after 20 tries.");
    }

    /// <summary>Claims a code for an order; false if the code is already some open order's.</summary>
    public async Task<bool> TryClaimAsync(
        string storeId, string code, string orderId, DateTimeOffset remindAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var row = new PickupCodeEntity
        {
            PartitionKey = storeId, RowKey = CodeRowKey(code), OrderId = orderId, State = PickupCodeState.Open, RemindAt = remindAt, ExpiresAt = expiresAt,
        };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await FindCodeAsync(storeId, code, cancellationToken);
            // A closed code may be issued again; any other belongs to an order still in progress (perhaps this one).
            if (existing is null || existing.OrderId == orderId) return existing is not null;
            if (existing.State != PickupCodeState.Closed) return false;
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

    /// <summary>The store's codes: open, used or expired ones whose order has yet to follow, and recently closed ones.</summary>
    public async Task<IReadOnlyList<PickupCodeEntity>> ListCodesAsync(string storeId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {CodePrefix} and RowKey lt {"code}"}");
        var rows = new List<PickupCodeEntity>();
        await foreach (var row in _table.QueryAsync<PickupCodeEntity>(filter, cancellationToken: cancellationToken)) rows.Add(row);
        return rows;
    }

    /// <summary>Saves a code row read earlier; false if it changed meanwhile (a clerk verified it).</summary>
    public async Task<bool> TrySaveCodeAsync(PickupCodeEntity row, CancellationToken cancellationToken)
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

    /// <summary>Marks a code whose order has followed it (picked up or expired); it may then be issued again.</summary>
    public async Task CloseCodeAsync(PickupCodeEntity row, DateTimeOffset at, CancellationToken cancellationToken)
    {
        row.State = PickupCodeState.Closed;
        row.ClosedAt = at;
        await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Forgets a closed code; another request may already have reissued it, which the ETag protects.</summary>
    public async Task DeleteCodeAsync(PickupCodeEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Deleted by another sweep, or reissued meanwhile.
        }
    }

    public Task<PickupCodeEntity?> FindCodeAsync(string storeId, string code, CancellationToken cancellationToken) =>
        _table.FindAsync<PickupCodeEntity>(storeId, CodeRowKey(code), cancellationToken);

    /// <summary>The store's wrong-code count for the window that contains <paramref name="now"/> (with its ETag), or null before the first.</summary>
    public Task<FailureEntity?> FailuresAsync(string storeId, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        _table.FindAsync<FailureEntity>(storeId, FailureRowKey(now, window), cancellationToken);

    /// <summary>
    /// Counts a wrong code, unless <paramref name="max"/> are counted already: answers the count, or
    /// null then, and the caller must not say the code was wrong. Written with the row's ETag, so of any number of
    /// wrong guesses at once no more than <paramref name="max"/> are ever answered.
    /// </summary>
    public async Task<int?> TryCountFailureAsync(string storeId, DateTimeOffset now, TimeSpan window, int max, CancellationToken cancellationToken) =>
        await concurrency.RunAsync<int?>(async ct =>
        {
            var row = await FailuresAsync(storeId, now, window, ct);
            if (row is null)
            {
                await _table.AddEntityAsync(NewFailures(storeId, now, window, 1), ct); // 409: read again
                return 1;
            }
            if (row.Count >= max) return null;
            row.Count++;
            await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct); // 412: read again
            return row.Count;
        }, cancellationToken);

    /// <summary>
    /// Records that a right code is about to be answered, provided fewer than <paramref name="max"/>
    /// wrong codes are counted: an unchanged write of the count with its ETag (first with the
    /// <paramref name="read"/> row), so an answer that tells a code is right is ordered with the
    /// wrong guesses exactly as a verification's transaction is. False under the lockout.
    /// </summary>
    public async Task<bool> TryAdmitRightCodeAsync(
        string storeId, FailureEntity? read, DateTimeOffset now, TimeSpan window, int max, CancellationToken cancellationToken)
    {
        var firstTry = true;
        return await concurrency.RunAsync(async ct =>
        {
            var row = firstTry ? read : await FailuresAsync(storeId, now, window, ct);
            firstTry = false;
            if (row?.Count >= max) return false;
            if (row is null) await _table.AddEntityAsync(NewFailures(storeId, now, window, 0), ct); // 409: read again
            else await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct); // 412: read again
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Adds to a verification's transaction the condition that no wrong code was counted since
    /// <paramref name="read"/> was read (an unchanged write with its ETag, or the row's creation),
    /// so a right code is never taken while parallel guesses are reaching the limit.
    /// </summary>
    public static void RequireUnchanged(PartitionTransaction transaction, FailureEntity? read, string storeId, DateTimeOffset now, TimeSpan window) =>
        transaction.Add(read is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, read ?? NewFailures(storeId, now, window, 0));

    private static FailureEntity NewFailures(string storeId, DateTimeOffset now, TimeSpan window, int count) =>
        new() { PartitionKey = storeId, RowKey = FailureRowKey(now, window), Count = count };

    /// <summary>Fixed windows: the row of the window that contains <paramref name="now"/>.</summary>
    private static string FailureRowKey(DateTimeOffset now, TimeSpan window) =>
        FailurePrefix + (now.UtcTicks / window.Ticks * window.Ticks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Deletes the wrong-code counts of windows that ended (a verification leaves one per window).</summary>
    public async Task DeleteEndedFailuresAsync(string storeId, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {FailurePrefix} and RowKey lt {FailureRowKey(now, window)}");
        await foreach (var row in _table.QueryAsync<FailureEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await _table.DeleteEntityAsync(storeId, row.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another sweep deleted it.
            }
        }
    }

    public sealed class PickupCodeEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string State { get; set; } = PickupCodeState.Open;
        public DateTimeOffset ExpiresAt { get; set; }

        /// <summary>Halfway through the store's hold time: when the consumer is reminded.</summary>
        public DateTimeOffset RemindAt { get; set; }
        public bool ReminderSent { get; set; }

        /// <summary>When a clerk's verification used the code; its order should be picked up moments later.</summary>
        public DateTimeOffset? UsedAt { get; set; }

        /// <summary>When the code's order followed it; the sweep deletes the row a wrong-code window later.</summary>
        public DateTimeOffset? ClosedAt { get; set; }

        /// <summary>
        /// The after-sales case being opened on the order (its id, when): no verification uses the
        /// code while that case is open, or for a moment if the order never got it.
        /// </summary>
        public string? HeldFor { get; set; }
        public DateTimeOffset? HeldAt { get; set; }
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

    /// <summary>The order followed its used or expired code; the code may be issued again.</summary>
    public const string Closed = "Closed";
}
