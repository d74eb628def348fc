using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>
/// What a timer must look at, and from when (row = the order's, refund's or withdrawal's id, with an
/// optional owner): orders and agents live in partitions of their own and cannot be searched.
/// </summary>
/// <remarks>
/// A row lives in the partition of its due time's five-minute bucket and one of four shards
/// ("202612071955-2"), so no partition grows with the business, only with what falls due in five
/// minutes. A marker row per bucket and shard ("buckets-2", row "202612071955") tells the sweep which
/// buckets hold rows: it reads the markers up to now, then only those buckets, and never a bucket
/// still in the future. A writer writes its row, then the marker; the sweep deletes a past bucket's
/// marker only under the ETag it read before finding the bucket empty, so a row written meanwhile
/// always keeps or re-creates its marker. A row marked again for another time leaves its old row
/// behind; the sweep that meets it finds the work done or schedules it once more, so every timer's
/// work is idempotent by the id.
/// </remarks>
public abstract class DueOrderTable(TableServiceClient service, string tableName)
{
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(5);
    public const int Shards = 4;
    private const string MarkerPrefix = "buckets-";

    /// <summary>Where every row lived before the tables were bucketed ("due"; the refunds' "open").</summary>
    protected virtual string LegacyPartition => "due";

    private readonly TableClient _table = service.GetTableClient(tableName);
    private volatile bool _legacyMoved;

    public async Task MarkAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken, string? owner = null, DateTimeOffset? since = null)
    {
        var (bucket, shard) = (BucketOf(dueAt), ShardOf(id));
        await _table.UpsertEntityAsync(new DueEntity
        {
            PartitionKey = PartitionOf(bucket, shard), RowKey = id,
            DueAt = dueAt, Owner = owner, Since = since,
        }, TableUpdateMode.Replace, cancellationToken);
        await _table.UpsertEntityAsync(new TableEntity(MarkerPrefix + shard, bucket), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Drops the row marked for <paramref name="dueAt"/>: what it waited for is done.</summary>
    public async Task DropAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(PartitionOf(BucketOf(dueAt), ShardOf(id)), id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Dropped by an earlier try or the sweep.
        }
    }

    /// <summary>Rows due by <paramref name="now"/>, read from the buckets that have a marker up to now; a past bucket found empty loses its marker.</summary>
    public async Task<IReadOnlyList<DueEntity>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_legacyMoved) await MoveLegacyRowsAsync(cancellationToken);
        var rows = new List<DueEntity>();
        var current = BucketOf(now);
        for (var shard = 0; shard < Shards; shard++)
        {
            var markers = _table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {MarkerPrefix + shard} and RowKey le {current}"), cancellationToken: cancellationToken);
            await foreach (var marker in markers)
            {
                var found = 0;
                await foreach (var row in _table.QueryAsync<DueEntity>(
                    TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(marker.RowKey, shard)} and DueAt le {now}"),
                    cancellationToken: cancellationToken))
                {
                    rows.Add(row);
                    found++;
                }
                if (found == 0 && string.CompareOrdinal(marker.RowKey, current) < 0) await DropMarkerAsync(marker, cancellationToken);
            }
        }
        return rows;
    }

    /// <summary>Every row, due or not: a walk over all markers, for an operator's check rather than a timer.</summary>
    public async Task<IReadOnlyList<DueEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = new List<DueEntity>();
        for (var shard = 0; shard < Shards; shard++)
            foreach (var marker in await _table.ListPartitionAsync<TableEntity>(MarkerPrefix + shard, cancellationToken))
                rows.AddRange(await _table.ListPartitionAsync<DueEntity>(PartitionOf(marker.RowKey, shard), cancellationToken));
        return rows;
    }

    /// <summary>Moves a row read by the sweep to <paramref name="dueAt"/>, or drops it (null); left alone if a change marked it meanwhile.</summary>
    public async Task RescheduleAsync(DueEntity row, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        try
        {
            if (dueAt is { } next && PartitionOf(BucketOf(next), ShardOf(row.RowKey)) == row.PartitionKey)
            {
                row.DueAt = next;
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            if (dueAt is { } later) await MarkAsync(row.RowKey, later, cancellationToken, row.Owner, row.Since);
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // A change marked the row again: the sweep looks at it then.
        }
    }

    /// <summary>
    /// Moves the rows a deployment from before the buckets left in the one old partition into their
    /// buckets: an instance's first sweep does it, and finds nothing once it is done.
    /// </summary>
    public async Task<int> MoveLegacyRowsAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var row in await _table.ListPartitionAsync<TableEntity>(LegacyPartition, cancellationToken))
        {
            var (dueAt, since) = LegacyTimes(row);
            await MarkAsync(row.RowKey, dueAt, cancellationToken, row.GetString(nameof(DueEntity.Owner)), since);
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Another instance moved it first.
            }
            moved++;
        }
        _legacyMoved = true;
        return moved;
    }

    /// <summary>When an old row falls due, and since when it waits.</summary>
    protected virtual (DateTimeOffset DueAt, DateTimeOffset? Since) LegacyTimes(TableEntity row) =>
        (row.GetDateTimeOffset(nameof(DueEntity.DueAt)) ?? DateTimeOffset.UnixEpoch, null);

    private async Task DropMarkerAsync(TableEntity marker, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(marker.PartitionKey, marker.RowKey, marker.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // A writer marked the bucket again after it was read: it keeps its marker.
        }
    }

    /// <summary>The start of the five-minute bucket, as sortable text.</summary>
    public static string BucketOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % BucketLength.Ticks, DateTimeKind.Utc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
    }

    /// <summary>A stable shard of the id (string.GetHashCode differs between processes).</summary>
    public static int ShardOf(string id)
    {
        var hash = 0u;
        foreach (var c in id) hash = (hash * 31) + c;
        return (int)(hash % Shards);
    }

    public static string PartitionOf(string bucket, int shard) => $"{bucket}-{shard}";

    public sealed class DueEntity : TableRow
    {
        public DateTimeOffset DueAt { get; set; }

        /// <summary>Whose it is, when the id alone does not say (a withdrawal's agent).</summary>
        public string? Owner { get; set; }

        /// <summary>When the wait began, where it matters (a refund's decision), kept across reschedules.</summary>
        public DateTimeOffset? Since { get; set; }
    }
}

/// <summary>
/// Orders the after-sales deadline sweep must look at. A change to a case marks its order due a few
/// minutes later, before the order is written, so a step a crash interrupted is finished.
/// </summary>
public sealed class AfterSalesDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.AfterSalesDueTable);

/// <summary>Orders whose commission becomes available at a time (the settle time after hand-over).</summary>
public sealed class CommissionDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.CommissionDueTable);

/// <summary>
/// Withdrawals not yet final (row = the withdrawal id, with its agent): the list the withdrawal
/// reconciler walks. Written before the balance is reserved, dropped once WeChat Pay's answer is final.
/// </summary>
public sealed class WithdrawalDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.WithdrawalsDueTable);
