using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Payments;

/// <summary>
/// Refunds decided and not yet final, one row per order (table Refunds, one partition): the list
/// the refund reconciler walks, since orders live in their consumers' partitions and cannot be
/// searched. A row is written before the order transaction that decides the refund, so a crash
/// right after that transaction still leaves it; it is deleted once WeChat Pay's answer is final.
/// A row whose order has no such refund (its transaction failed) is deleted by the reconciler.
/// Refunds are a small share of orders: one partition carries them.
/// </summary>
public sealed class OpenRefunds(TableServiceClient service)
{
    private const string Partition = "open";

    private readonly TableClient _table = service.GetTableClient(StorageNames.RefundsTable);

    public async Task OpenAsync(string orderId, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new OpenRefundEntity { PartitionKey = Partition, RowKey = orderId, DecidedAt = decidedAt }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A retry of the same change: the row is there, with the first decision's time.
        }
    }

    public async Task CloseAsync(string orderId, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition, orderId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Closed already.
        }
    }

    public Task<IReadOnlyList<OpenRefundEntity>> ListAsync(CancellationToken cancellationToken) =>
        _table.ListPartitionAsync<OpenRefundEntity>(Partition, cancellationToken);

    /// <summary>RowKey: the order id.</summary>
    public sealed class OpenRefundEntity : TableRow
    {
        public DateTimeOffset DecidedAt { get; set; }
    }
}
