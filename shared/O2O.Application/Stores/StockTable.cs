using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// Stock rows partitioned by store (row key = SKU), so a checkout can reserve every line of an
/// order at one store in a single entity group transaction, and stores never contend.
/// </summary>
public sealed class StockTable(TableServiceClient service)
{
    private readonly TableClient _table = service.GetTableClient(StorageNames.StockTable);

    public Task<StockEntity?> FindAsync(string storeId, string sku, CancellationToken cancellationToken) =>
        _table.FindAsync<StockEntity>(storeId, sku, cancellationToken);

    public Task<IReadOnlyList<StockEntity>> ListAsync(string storeId, CancellationToken cancellationToken) =>
        _table.ListPartitionAsync<StockEntity>(storeId, cancellationToken);

    /// <summary>Inserts a new row or replaces the one read, failing with 409/412 if someone else wrote first.</summary>
    public async Task SaveAsync(StockEntity row, CancellationToken cancellationToken)
    {
        if (row.ETag == default) await _table.AddEntityAsync(row, cancellationToken);
        else await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    public sealed class StockEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";
        public string RowKey { get; set; } = "";
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public int OnHand { get; set; }
        public int Reserved { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public static StockEntity New(string storeId, string sku) => new() { PartitionKey = storeId, RowKey = sku };

        public StockLevel ToLevel() => new(PartitionKey, RowKey, OnHand, Reserved);

        public StockView ToView()
        {
            var level = ToLevel();
            return new StockView(level.StoreId, level.Sku, level.OnHand, level.Reserved, level.Available, level.Shortfall, UpdatedAt);
        }
    }
}
