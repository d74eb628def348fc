using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Payments;

/// <summary>
/// Table Refunds: refunds decided and not yet final, one row per out_refund_no (one partition): the list
/// the refund reconciler walks, since orders live in their consumers' partitions and cannot be
/// searched. A row is written before the order transaction that decides the refund, so a crash
/// right after that transaction still leaves it; it is deleted once WeChat Pay's answer is final.
/// A row whose order has no such refund (its transaction failed) is deleted by the reconciler.
/// Refunds are a small share of orders: one partition carries them.
/// </summary>
public sealed class RefundTable(TableServiceClient service)
{
    private const string Partition = "open";

    private readonly TableClient _table = service.GetTableClient(StorageNames.RefundsTable);

    public async Task OpenAsync(string outRefundNo, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new OpenRefundEntity { PartitionKey = Partition, RowKey = outRefundNo, DecidedAt = decidedAt }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A retry of the same change: the row is there, with the first decision's time.
        }
    }

    public async Task CloseAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition, outRefundNo, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Closed already.
        }
    }

    public Task<IReadOnlyList<OpenRefundEntity>> ListAsync(CancellationToken cancellationToken) =>
        _table.ListPartitionAsync<OpenRefundEntity>(Partition, cancellationToken);

    /// <summary>RowKey: the refund's out_refund_no, from which its order id follows (<see cref="O2O.Domain.Orders.RefundIds.OrderIdOf"/>).</summary>
    public sealed class OpenRefundEntity : TableRow
    {
        public DateTimeOffset DecidedAt { get; set; }
    }
}
