using Azure;
using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>
/// What a timer must look at, and from when (one partition, row = the order's or withdrawal's id,
/// with an optional owner): orders and agents live in partitions of their own and cannot be
/// searched. The timer sets the next time or drops the row. What needs a timer is a small share:
/// one partition carries it.
/// </summary>
public abstract class DueOrderTable(TableServiceClient service, string tableName)
{
    private const string Partition = "due";

    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task MarkAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken, string? owner = null) =>
        _table.UpsertEntityAsync(new DueEntity
        {
            PartitionKey = Partition, RowKey = id,
            DueAt = dueAt, Owner = owner
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Drops the row, whatever its time: what it waited for is done.</summary>
    public async Task DropAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Dropped by an earlier try or the sweep.
        }
    }

    public Task<DueEntity?> FindAsync(string id, CancellationToken cancellationToken) => _table.FindAsync<DueEntity>(Partition, id, cancellationToken);

    public async Task<IReadOnlyList<DueEntity>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<DueEntity>();
        await foreach (var row in _table.QueryAsync<DueEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and DueAt le {now}"),
            cancellationToken: cancellationToken))
            rows.Add(row);
        return rows;
    }

    /// <summary>Moves a row read by the sweep to <paramref name="dueAt"/>, or drops it (null); left alone if a change marked it meanwhile.</summary>
    public async Task RescheduleAsync(DueEntity row, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        try
        {
            if (dueAt is null) await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
            else
            {
                row.DueAt = dueAt.Value;
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // A change marked the order again: the sweep looks at it then.
        }
    }

    public sealed class DueEntity : TableRow
    {
        public DateTimeOffset DueAt { get; set; }

        /// <summary>Whose it is, when the id alone does not say (a withdrawal's agent).</summary>
        public string? Owner { get; set; }
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
/// reconciler walks and how a transfer notification finds its agent. Written before the balance is
/// reserved, dropped once WeChat Pay's answer is final.
/// </summary>
public sealed class WithdrawalDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.WithdrawalsDueTable);
