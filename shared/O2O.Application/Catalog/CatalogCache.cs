using O2O.Application.Storage;

namespace O2O.Application.Catalog;

/// <summary>The catalog as checkout prices it: every SKU by code, without a storage read per order.</summary>
public sealed class CatalogCache(SkuTable skus, TimeProvider clock)
{
    private readonly CachedSnapshot<IReadOnlyDictionary<string, SkuTable.SkuEntity>> _snapshot = new(
        async ct => (await skus.ListAsync(ct)).ToDictionary(s => s.RowKey, StringComparer.Ordinal), clock);

    public async ValueTask<SkuTable.SkuEntity?> FindAsync(string sku, CancellationToken cancellationToken) =>
        (await _snapshot.GetAsync(cancellationToken)).GetValueOrDefault(sku);

    public void Invalidate() => _snapshot.Invalidate();
}
