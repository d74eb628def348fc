using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Catalog;

namespace O2O.Application.Catalog;

/// <summary>
/// The catalog in one partition: it is small, written rarely by operators and read whole, so a
/// single-partition query lists it in one round trip.
/// </summary>
public sealed class SkuTable(TableServiceClient service)
{
    private const string Partition = "sku";

    private readonly TableClient _table = service.GetTableClient(StorageNames.SkusTable);

    public Task UpsertAsync(Sku sku, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(SkuEntity.From(sku, updatedAt), TableUpdateMode.Replace, cancellationToken);

    public Task<SkuEntity?> FindAsync(string skuId, CancellationToken cancellationToken) =>
        _table.FindAsync<SkuEntity>(Partition, skuId, cancellationToken);

    public Task<IReadOnlyList<SkuEntity>> ListAsync(CancellationToken cancellationToken) =>
        _table.ListPartitionAsync<SkuEntity>(Partition, cancellationToken);

    public sealed class SkuEntity : TableRow
    {
        public SkuEntity() => PartitionKey = Partition;

        public string Name { get; set; } = "";
        public long PriceFen { get; set; }
        public bool Active { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        /// <summary>The agents' level-1 rate on this SKU, in basis points; null for the tier's or the global one.</summary>
        public int? CommissionBps { get; set; }

        public static SkuEntity From(Sku sku, DateTimeOffset updatedAt) => new()
        {
            RowKey = sku.Id, Name = sku.Name, PriceFen = sku.PriceFen, Active = sku.Active, UpdatedAt = updatedAt, CommissionBps = sku.CommissionBps,
        };

        public SkuView ToView() => new(RowKey, Name, PriceFen, Active, UpdatedAt, CommissionBps);
    }
}
