using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Payments;

/// <summary>
/// Table Refunds: refunds decided and not yet final, one row per out_refund_no, due for the refund
/// reconciler <see cref="RefundReconciler.Grace"/> after the decision (a refund that recent may still
/// be on its way through the queue), then every <see cref="RefundReconciler.RecheckAfter"/> until final:
/// orders live in their consumers' partitions and cannot be searched. A row is written before the
/// order transaction that decides the refund, so a crash right after that transaction still leaves
/// it; the reconciler drops it once the order says the refund is final, or has no such refund (its
/// transaction failed). Rows are bucketed by due time like every timer's list (<see cref="DueOrderTable"/>).
/// </summary>
public sealed class RefundTable(TableServiceClient service) : DueOrderTable(service, StorageNames.RefundsTable)
{
    public Task OpenAsync(string outRefundNo, DateTimeOffset decidedAt, CancellationToken cancellationToken) =>
        MarkAsync(outRefundNo, decidedAt + RefundReconciler.Grace, cancellationToken, since: decidedAt);

    protected override string LegacyPartition => "open";

    /// <summary>The old rows kept the decision's time.</summary>
    protected override (DateTimeOffset DueAt, DateTimeOffset? Since) LegacyTimes(TableEntity row) =>
        row.GetDateTimeOffset("DecidedAt") is { } decidedAt ? (decidedAt + RefundReconciler.Grace, decidedAt) : (DateTimeOffset.UnixEpoch, null);
}
