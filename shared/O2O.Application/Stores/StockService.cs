using O2O.Application.Catalog;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// The operator's stock counts per store. Setting <c>onHand</c> keeps <c>reserved</c>, which
/// checkouts change concurrently, so the write is a read-modify-write guarded by the row's ETag.
/// </summary>
public sealed class StockService(
    StockTable stock, StoreTable stores, SkuTable skus, StockAvailability availability, OptimisticConcurrency concurrency, TimeProvider clock)
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

        var change = default(StockAvailability.Change);
        var saved = await concurrency.RunAsync(async ct =>
        {
            var row = await stock.FindAsync(storeId, sku, ct) ?? StockTable.StockEntity.New(storeId, sku);
            var before = row.ETag == default ? 0 : row.ToLevel().Available;
            row.OnHand = onHand.Value;
            row.UpdatedAt = clock.GetUtcNow();
            await stock.SaveAsync(row, ct);
            change = new(sku, before, row.ToLevel().Available);
            return row.ToView();
        }, cancellationToken);
        await availability.ProjectAsync(storeId, [change], cancellationToken);
        return saved;
    }

    public async Task<Result<StockView>> GetAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        var row = Identifier.IsValid(storeId) && Identifier.IsValid(sku)
            ? await stock.FindAsync(storeId, sku, cancellationToken)
            : null;
        return row is null ? Error.NotFound($"Store '{storeId}' has no stock row for SKU '{sku}'.") : row.ToView();
    }

    public async Task<Result<IReadOnlyList<StockView>>> ListAsync(string storeId, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(storeId) || await stores.FindAsync(storeId, cancellationToken) is null)
            return StoreService.NotFound(storeId);
        var rows = await stock.ListAsync(storeId, cancellationToken);
        return rows.Select(r => r.ToView()).ToList();
    }
}
