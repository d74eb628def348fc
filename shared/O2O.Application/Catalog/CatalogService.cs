using O2O.Domain.Catalog;
using O2O.Domain.Common;

namespace O2O.Application.Catalog;

/// <summary>The operator's catalog: SKUs with their names, prices and whether they are on sale.</summary>
public sealed class CatalogService(SkuTable skus, CatalogCache cache, TimeProvider clock)
{
    public async Task<Result<SkuView>> PutAsync(string skuId, SkuRequest request, CancellationToken cancellationToken)
    {
        var sku = Sku.Create(skuId, request.Name, request.PriceFen, request.Active, request.CommissionBps);
        if (!sku.IsSuccess) return sku.Error;
        var updatedAt = clock.GetUtcNow();
        await skus.UpsertAsync(sku.Value, updatedAt, cancellationToken);
        cache.Invalidate();
        return SkuTable.SkuEntity.From(sku.Value, updatedAt).ToView();
    }

    public async Task<Result<SkuView>> GetAsync(string skuId, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(skuId)) return NotFound(skuId);
        var sku = await skus.FindAsync(skuId, cancellationToken);
        return sku is null ? NotFound(skuId) : sku.ToView();
    }

    public async Task<IReadOnlyList<SkuView>> ListAsync(CancellationToken cancellationToken) =>
        (await skus.ListAsync(cancellationToken)).Select(s => s.ToView()).ToList();

    private static Error NotFound(string skuId) => Error.NotFound($"There is no SKU '{skuId}'.");
}
