using Azure;
using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>
/// Orders a timer must look at, and from when (one partition, row = order id): orders live in
/// their consumers' partitions and cannot be searched. The timer sets the next time or drops the
/// row. The orders that need a timer are a small share: one partition carries them.
/// </summary>
public abstract class DueOrderTable(TableServiceClient service, string tableName)
{
    private const string Partition = "due";

    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task MarkAsync(string orderId, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new DueEntity { PartitionKey = Partition, RowKey = orderId, DueAt = dueAt }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<DueEntity>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<DueEntity>();
        await foreach (var row in _table.QueryAsync<DueEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and DueAt le {now}"), cancellationToken: cancellationToken))
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
    }
}

/// <summary>
/// Orders the after-sales deadline sweep must look at. A change to a case marks its order due a few
/// minutes later, before the order is written, so a step a crash interrupted is finished.
/// </summary>
public sealed class AfterSalesDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.AfterSalesDueTable);

/// <summary>Orders whose commission becomes available at a time (the settle time after hand-over).</summary>
public sealed class CommissionDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.CommissionDueTable);
