using System.Text.Json;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// Table Stores: store profiles in one partition ("store"), so the whole list (which routing keeps
/// cached) is one single-partition query, since a brand has hundreds of stores, not millions; and the
/// stores' key hashes in another ("storekey").
/// </summary>
public sealed class StoreTable(TableServiceClient service)
{
    private const string Partition = "store";
    private const string KeyPartition = "storekey";

    private readonly TableClient _table = service.GetTableClient(StorageNames.StoresTable);

    public Task UpsertAsync(Store store, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(StoreEntity.From(store, updatedAt), TableUpdateMode.Replace, cancellationToken);

    public Task<StoreKeyEntity?> FindKeyAsync(string storeId, CancellationToken cancellationToken) =>
        _table.FindAsync<StoreKeyEntity>(KeyPartition, storeId, cancellationToken);

    /// <summary>Last writer wins: two operators rotating at once leave one valid key (the other is never shown as working).</summary>
    public Task SaveKeyAsync(StoreKeyEntity row, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);

    public Task<StoreEntity?> FindAsync(string storeId, CancellationToken cancellationToken) =>
        _table.FindAsync<StoreEntity>(Partition, storeId, cancellationToken);

    public Task<IReadOnlyList<StoreEntity>> ListAsync(CancellationToken cancellationToken) =>
        _table.ListPartitionAsync<StoreEntity>(Partition, cancellationToken);

    /// <summary>A store row. Columns added after the first release are nullable: a row written before them reads as the default.</summary>
    public sealed class StoreEntity : TableRow
    {
        public StoreEntity() => PartitionKey = Partition;

        public string Name { get; set; } = "";
        public double Lat { get; set; }
        public double Lng { get; set; }
        public bool Pickup { get; set; }
        public bool Delivery { get; set; }
        public int DeliveryRadiusM { get; set; }
        public bool Open { get; set; }
        public bool? AutoAccept { get; set; }
        public int? PickupHoldHours { get; set; }
        public long? DeliveryBaseFeeFen { get; set; }
        public long? DeliveryFeePerKmFen { get; set; }
        public long? FreeDeliveryAboveFen { get; set; }

        /// <summary>Courier platforms, preferred first, comma-separated.</summary>
        public string? Couriers { get; set; }

        /// <summary>Set when the store dispatches a delivery on accept, the rider due when this time has passed.</summary>
        public int? PreparationMinutes { get; set; }

        /// <summary>A delivery that comes back goes out once more before it is refunded.</summary>
        public bool? RedeliverReturns { get; set; }

        /// <summary>The opening hours as the operator wrote them (<see cref="OpeningHoursInput"/>); none: the switch alone decides.</summary>
        public string? HoursJson { get; set; }

        /// <summary>The slot policies (<see cref="SlotsInput"/>); none: orders for as soon as possible only.</summary>
        public string? SlotsJson { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public static StoreEntity From(Store store, DateTimeOffset updatedAt) => new()
        {
            RowKey = store.Id, Name = store.Name, Lat = store.Location.Lat, Lng = store.Location.Lng,
            Pickup = store.Pickup, Delivery = store.Delivery, DeliveryRadiusM = store.DeliveryRadiusM, Open = store.Open,
            AutoAccept = store.AutoAccept, PickupHoldHours = store.PickupHoldHours,
            DeliveryBaseFeeFen = store.Tariff.BaseFen, DeliveryFeePerKmFen = store.Tariff.PerKmFen, FreeDeliveryAboveFen = store.Tariff.FreeAboveFen,
            Couriers = string.Join(',', store.Couriers), PreparationMinutes = store.PreparationMinutes,
            RedeliverReturns = store.RedeliverReturns, UpdatedAt = updatedAt,
            HoursJson = store.Hours is { } hours ? JsonSerializer.Serialize(hours.ToInput(), StorageJson.Options) : null,
            SlotsJson = store.Slots is { } slots ? JsonSerializer.Serialize(slots.ToInput(), StorageJson.Options) : null,
        };

        public Store ToStore() => new(RowKey, Name, new GeoPoint(Lat, Lng), Pickup, Delivery, DeliveryRadiusM, Open, AutoAccept ?? false,
            PickupHoldHours ?? Store.DefaultPickupHoldHours,
            new DeliveryTariff(DeliveryBaseFeeFen ?? DeliveryTariff.Default.BaseFen, DeliveryFeePerKmFen ?? DeliveryTariff.Default.PerKmFen,
                FreeDeliveryAboveFen ?? DeliveryTariff.Default.FreeAboveFen),
            Couriers?.Split(',') ?? CourierProviders.All, PreparationMinutes, RedeliverReturns ?? false, Hours(),
            SlotsJson is null ? null : StoreSlots.Create(JsonSerializer.Deserialize<SlotsInput>(SlotsJson, StorageJson.Options), new()));

        /// <summary>Written by <see cref="From"/> from valid hours, so read back without a second check.</summary>
        private OpeningHours? Hours() =>
            HoursJson is null ? null : OpeningHours.Create(JsonSerializer.Deserialize<OpeningHoursInput>(HoursJson, StorageJson.Options), new());

        public StoreView ToView()
        {
            var store = ToStore();
            return new StoreView(store.Id, store.Name, store.Location.Lat, store.Location.Lng, store.Pickup, store.Delivery, store.DeliveryRadiusM,
                store.Open, store.AutoAccept, store.PickupHoldHours, store.Tariff.BaseFen, store.Tariff.PerKmFen, store.Tariff.FreeAboveFen,
                store.Couriers, store.PreparationMinutes, store.RedeliverReturns, store.Hours?.ToInput(), store.Slots?.ToInput(),
                UpdatedAt);
        }
    }

    /// <summary>A store's key hashes ("storekey" partition, one row per store), for <see cref="StoreKeys"/>.</summary>
    public sealed class StoreKeyEntity : TableRow
    {
        public static StoreKeyEntity New(string storeId) => new() { PartitionKey = KeyPartition, RowKey = storeId };

        public string? CurrentSalt { get; set; }
        public string? CurrentHash { get; set; }
        public DateTimeOffset IssuedAt { get; set; }
        public string? PreviousSalt { get; set; }
        public string? PreviousHash { get; set; }
        public DateTimeOffset? PreviousValidUntil { get; set; }
    }
}
