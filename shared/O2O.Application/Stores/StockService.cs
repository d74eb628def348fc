using Azure.Data.Tables;
using O2O.Application.Catalog;
using O2O.Application.Platform;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// Stock counts per store: the operator sets them, a store's clerks correct them and mark a SKU
/// sold out. Every change keeps <c>reserved</c>, which checkouts change concurrently, so each is
/// a read-modify-write guarded by the row's ETag.
/// </summary>
public sealed class StockService(
    StockTable stock, StoreTable stores, SkuTable skus, CatalogCache catalog, StockAvailability availability,
    OptimisticConcurrency concurrency, TimeProvider clock)
{

    public async Task<Result<StockView>> SetOnHandAsync(
        string storeId, string sku, StockRequest request, CancellationToken cancellationToken)
    {
        var onHand = StockLevel.ValidOnHand(request.OnHand);
        if (!onHand.IsSuccess) return onHand.Error;
        if (!Identifier.IsValid(storeId) || await stores.FindAsync(storeId, cancellationToken) is null)
            return StoreService.NotFound(storeId);
        if (!Identifier.IsValid(sku) || await skus.FindAsync(sku, cancellationToken) is null)
            return Error.Validation("sku", $"'{sku}' is not in the catalog");

        return await SaveRowAsync(storeId, sku, createIfMissing: true, row => row.OnHand = onHand.Value, cancellationToken);
    }

    /// <summary>
    /// A clerk's correction by <c>delta</c> units, journalled with its reason in the same
    /// transaction. The Idempotency-Key names the journal row, so a repeated request (a double tap,
    /// a retry after a lost answer) finds its adjustment instead of making a second one.
    /// </summary>
    public async Task<Result<StockView>> AdjustAsync(
        string storeId, string sku, string? idempotencyKey, StockAdjustmentRequest request, CancellationToken cancellationToken)
    {
        if (!IdempotencyKeys.IsUsable(idempotencyKey, "each adjustment", out var badKey)) return badKey;
        if (!Identifier.IsValid(sku)) return NoRow(storeId, sku);
        StockAvailability.Change? moved = null;
        var adjusted = await concurrency.RunAsync<Result<StockView>>(async ct =>
        {
            var read = stock.FindAsync(storeId, sku, ct);
            var earlier = stock.FindAdjustmentAsync(storeId, sku, idempotencyKey, ct); // the same partition, read alongside
            await Task.WhenAll(read, earlier);
            if (read.Result is not { } row) return NoRow(storeId, sku);
            if (earlier.Result is { } done)
                return done.Delta == request.Delta && done.Reason == request.Reason
                    ? await NamedViewAsync(row, ct)
                    : new Error(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was already used for another adjustment; use a new key.");
            var onHand = row.ToLevel().Adjusted(request.Delta, request.Reason);
            if (!onHand.IsSuccess) return onHand.Error;
            var now = clock.GetUtcNow();
            var transaction = new PartitionTransaction(storeId);
            var change = row.Apply(level => level.WithOnHand(onHand.Value), transaction, now);
            transaction.Add(TableTransactionActionType.Add, new StockTable.AdjustmentEntity
            {
                PartitionKey = storeId, RowKey = StockTable.AdjustmentRowKey(sku, idempotencyKey), Sku = sku, Delta = (int)request.Delta!.Value,
                Reason = request.Reason!, OnHandAfter = onHand.Value, By = $"store:{storeId}", At = now,
            });
            await stock.SubmitAsync(transaction, ct); // a lost race (412, or 409 from the same key) reads again
            moved = change;
            return await NamedViewAsync(row, ct);
        }, cancellationToken);
        if (moved is { } m) await availability.ProjectAsync(storeId, [m], cancellationToken);
        return adjusted;
    }

    /// <summary>The store stops (or resumes) selling a SKU whatever its count says; routing sends its buyers elsewhere.</summary>
    public async Task<Result<StockView>> SetSoldOutAsync(string storeId, string sku, SoldOutRequest request, CancellationToken cancellationToken)
    {
        if (request.SoldOut is not { } soldOut) return Error.Validation("soldOut", "is required: true or false");
        return await SaveRowAsync(storeId, sku, createIfMissing: false, row => row.SoldOut = soldOut, cancellationToken);
    }

    /// <summary>
    /// One stock row changed under its ETag (a lost race reads again and re-applies), then the
    /// availability projection, which writes only when available units crossed zero.
    /// </summary>
    private async Task<Result<StockView>> SaveRowAsync(
        string storeId, string sku, bool createIfMissing, Action<StockTable.StockEntity> change, CancellationToken cancellationToken)
    {
        StockAvailability.Change? moved = null;
        var saved = await concurrency.RunAsync<Result<StockView>>(async ct =>
        {
            var row = Identifier.IsValid(sku) ? await stock.FindAsync(storeId, sku, ct) : null;
            row ??= createIfMissing ? StockTable.StockEntity.New(storeId, sku) : null;
            if (row is null) return NoRow(storeId, sku);
            var before = row.ToLevel().Available;
            change(row);
            row.UpdatedAt = clock.GetUtcNow();
            await stock.SaveAsync(row, ct);
            moved = new(sku, before, row.ToLevel().Available);
            return await NamedViewAsync(row, ct);
        }, cancellationToken);
        if (moved is { } m) await availability.ProjectAsync(storeId, [m], cancellationToken);
        return saved;
    }

    /// <summary>The store's stock with each SKU's name, for its staff.</summary>
    public async Task<IReadOnlyList<StockView>> ListForStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        var rows = await stock.ListAsync(storeId, cancellationToken);
        var views = new List<StockView>(rows.Count);
        foreach (var row in rows) views.Add(await NamedViewAsync(row, cancellationToken));
        return views;
    }

    private async Task<StockView> NamedViewAsync(StockTable.StockEntity row, CancellationToken cancellationToken) =>
        row.ToView((await catalog.FindAsync(row.Sku, cancellationToken))?.Name);

    private static Error NoRow(string storeId, string sku) => Error.NotFound($"Store '{storeId}' has no stock row for SKU '{sku}'.");

    public async Task<Result<StockView>> GetAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        var row = Identifier.IsValid(storeId) && Identifier.IsValid(sku)
            ? await stock.FindAsync(storeId, sku, cancellationToken)
            : null;
        return row is null ? NoRow(storeId, sku) : row.ToView();
    }

    public async Task<Result<IReadOnlyList<StockView>>> ListAsync(string storeId, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(storeId) || await stores.FindAsync(storeId, cancellationToken) is null)
            return StoreService.NotFound(storeId);
        var rows = await stock.ListAsync(storeId, cancellationToken);
        return rows.Select(r => r.ToView()).ToList();
    }
}
