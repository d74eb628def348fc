using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Application.Stores;
using O2O.Domain.AfterSales;

namespace O2O.Application.AfterSales;

/// <summary>
/// What an after-sales case does to the store's stock, once: units refunded before they left the
/// store leave the order's reservation and go back on sale; returned units go back on sale or to
/// the damaged count. Each step is one transaction in the store's partition with a row keyed by the
/// case, so a retry (or the deadline sweep finishing a step a crash interrupted) finds it done.
/// </summary>
public sealed class CaseStock(StockTable stock, StockAvailability availability, KeyedTurns turns, OptimisticConcurrency concurrency, TimeProvider clock)
{
    public const string Released = "Released";
    public const string Restocked = "Restocked";
    public const string WrittenOff = "WrittenOff";

    /// <summary>
    /// Releases the case's units from the order's reservation. If the reservation is settled
    /// already (the order was handed over or cancelled, which settled exactly what was left), there
    /// is nothing to release. False when there was nothing to do.
    /// </summary>
    public Task<bool> ReleaseAsync(string storeId, string orderId, AfterSalesCase refunded, CancellationToken cancellationToken) =>
        SettleAsync(storeId, orderId, refunded, Released, (rows, reservation, transaction, at) =>
        {
            if (reservation is null || reservation.State is ReservationState.Released or ReservationState.Consumed) return [];
            var held = reservation.ParsedLines().ToList();
            var changes = new List<StockAvailability.Change>();
            var left = new List<(string Sku, int Quantity)>();
            foreach (var (sku, quantity) in held)
            {
                var released = Math.Min(quantity, refunded.Lines.Where(l => l.Sku == sku).Sum(l => l.Quantity));
                if (released > 0 && rows.TryGetValue(sku, out var row)) changes.Add(row.Apply(level => level.Release(released), transaction, at));
                if (quantity - released > 0) left.Add((sku, quantity - released));
            }
            reservation.Lines = StockTable.ReservationEntity.FormatLines(left);
            if (left.Count == 0) reservation.State = ReservationState.Released;
            transaction.Add(TableTransactionActionType.UpdateReplace, reservation);
            return changes;
        }, cancellationToken);

    /// <summary>Returned units back on the shelf (<paramref name="restock"/>) or counted as damaged. False when done already.</summary>
    public Task<bool> ReceiveAsync(string storeId, string orderId, AfterSalesCase returned, bool restock, CancellationToken cancellationToken) =>
        SettleAsync(storeId, orderId, returned, restock ? Restocked : WrittenOff, (rows, _, transaction, at) =>
        {
            var changes = new List<StockAvailability.Change>();
            foreach (var line in returned.Lines)
            {
                // A SKU the store no longer has a row for (it stopped stocking it) gets one back.
                var isNew = !rows.TryGetValue(line.Sku, out var row);
                row ??= StockTable.StockEntity.New(storeId, line.Sku);
                var before = row.ToLevel();
                if (restock) row.OnHand = before.Restock(line.Quantity).OnHand;
                else row.Damaged += line.Quantity;
                row.UpdatedAt = at;
                transaction.Add(isNew ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, row);
                changes.Add(new StockAvailability.Change(line.Sku, before.Available, row.ToLevel().Available));
            }
            return changes;
        }, cancellationToken);

    private async Task<bool> SettleAsync(
        string storeId, string orderId, AfterSalesCase changed, string step,
        Func<IReadOnlyDictionary<string, StockTable.StockEntity>, StockTable.ReservationEntity?,
            PartitionTransaction, DateTimeOffset, IReadOnlyList<StockAvailability.Change>> settle,
        CancellationToken cancellationToken)
    {
        var skus = changed.Lines.Select(l => l.Sku).ToList();
        using var pass = await turns.EnterAsync(skus.Select(sku => StockReservations.TurnKey(storeId, sku)), cancellationToken);
        var changes = new List<StockAvailability.Change>();
        var done = await concurrency.RunAsync(async ct =>
        {
            changes.Clear();
            if (await stock.FindCaseStockAsync(storeId, changed.Id, ct) is not null) return false; // another run did it meanwhile
            var (rows, reservation) = await stock.ReadForOrderAsync(storeId, orderId, skus, ct);
            var at = clock.GetUtcNow();
            var transaction = new PartitionTransaction(storeId);
            changes.AddRange(settle(rows, reservation, transaction, at));
            transaction.Add(TableTransactionActionType.Add, new StockTable.CaseStockEntity
            {
                PartitionKey = storeId, RowKey = StockTable.CaseStockRowKey(changed.Id), OrderId = orderId, Step = step, At = at,
                Lines = StockTable.ReservationEntity.FormatLines(changed.Lines.Select(l => (l.Sku, l.Quantity))),
            });
            await stock.SubmitAsync(transaction, ct); // 409 on the case's row: another run did it; 412: re-read
            return true;
        }, cancellationToken);
        await availability.ProjectAsync(storeId, changes, cancellationToken);
        return done;
    }
}
