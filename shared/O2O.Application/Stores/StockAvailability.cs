using System.Collections.Concurrent;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Stores;

/// <summary>
/// Which stores have a SKU available (table Availability, partition = SKU, one row per store):
/// how routing finds the nearest store that has a cart among all stores, not only the few
/// nearest, without reading any store's stock on a request. A row is written when a stock change
/// takes a SKU's available units at a store to zero or back from zero (rarely, unlike the stock
/// row itself); the reservation still decides, so a projection a moment behind costs at most a
/// shortfall and the next candidate. Reads are cached per SKU for <see cref="CachedSnapshot{T}.Ttl"/>
/// (a change through this instance refreshes at once). A write lost with a crash, or two crossings
/// written in the wrong order, are mended by <see cref="RepairAsync(CancellationToken)"/>, which re-projects every
/// stock row changed recently.
/// </summary>
public sealed class StockAvailability(TableServiceClient service, StoreTable stores, StockTable stock, Catalog.CatalogCache catalog, TimeProvider clock)
{
    /// <summary>How far back the repair looks; twice its schedule, so a run that failed is covered by the next.</summary>
    public static readonly TimeSpan RepairWindow = TimeSpan.FromMinutes(15);

    private readonly TableClient _table = service.GetTableClient(StorageNames.AvailabilityTable);
    private readonly ConcurrentDictionary<string, CachedSnapshot<IReadOnlySet<string>>> _bySku = new(StringComparer.Ordinal);

    /// <summary>A SKU's available units at a store went from <c>Before</c> to <c>After</c>.</summary>
    public readonly record struct Change(string Sku, int Before, int After);

    /// <summary>Projects the changes that crossed zero; call after the stock transaction committed.</summary>
    public async Task ProjectAsync(string storeId, IEnumerable<Change> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes.Where(c => (c.Before > 0) != (c.After > 0)))
            await WriteAsync(storeId, change.Sku, change.After > 0, cancellationToken);
    }

    /// <summary>
    /// The stores where every one of <paramref name="skus"/> is available, as last projected. A SKU
    /// the catalog does not have is in no store, and is neither read nor cached: anyone may ask
    /// about any code, and the cache holds only the catalog's.
    /// </summary>
    public async Task<IReadOnlySet<string>> StoresWithAllAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        HashSet<string>? stores = null;
        foreach (var sku in skus.Distinct())
        {
            if (await catalog.FindAsync(sku, cancellationToken) is null) return new HashSet<string>();
            var having = await Snapshot(sku).GetAsync(cancellationToken);
            if (stores is null) stores = [.. having];
            else stores.IntersectWith(having);
            if (stores.Count == 0) break;
        }
        return stores ?? [];
    }

    /// <summary>Every store's repair (one range query of its stock rows each); answers how many rows were re-projected.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var repaired = 0;
        foreach (var store in await stores.ListAsync(cancellationToken)) repaired += await RepairAsync(store.RowKey, cancellationToken);
        return repaired;
    }

    /// <summary>Re-projects the store's stock rows changed within <see cref="RepairWindow"/>; answers how many.</summary>
    public async Task<int> RepairAsync(string storeId, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - RepairWindow;
        var changed = (await stock.ListAsync(storeId, cancellationToken)).Where(r => r.UpdatedAt >= since).ToList();
        foreach (var row in changed) await WriteAsync(storeId, row.Sku, row.ToLevel().Available > 0, cancellationToken);
        return changed.Count;
    }

    private async Task WriteAsync(string storeId, string sku, bool inStock, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(
            new AvailabilityEntity { PartitionKey = sku, RowKey = storeId, InStock = inStock, UpdatedAt = clock.GetUtcNow() },
            TableUpdateMode.Replace, cancellationToken);
        if (_bySku.TryGetValue(sku, out var cached)) cached.Invalidate();
    }

    private CachedSnapshot<IReadOnlySet<string>> Snapshot(string sku) =>
        _bySku.GetOrAdd(sku, s => new CachedSnapshot<IReadOnlySet<string>>(async ct =>
        {
            var stores = new HashSet<string>(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {s} and InStock eq true");
            await foreach (var row in _table.QueryAsync<AvailabilityEntity>(filter, select: ["RowKey"], cancellationToken: ct)) stores.Add(row.RowKey);
            return stores;
        }, clock));

    /// <summary>PartitionKey: the SKU; RowKey: the store.</summary>
    public sealed class AvailabilityEntity : TableRow
    {
        public bool InStock { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
    }
}
