using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>
/// A store's stock rows ("sku|{sku}"), its reservations ("res|{orderId}") and its clerks'
/// adjustments ("adj|{sku}|{key}") share the store's partition, with its pickup codes (see the
/// PickupCodes part), so a checkout reserves every line
/// and records why, and a clerk's correction is journalled with it, in one entity group
/// transaction; stores never contend with each other.
/// </summary>
public sealed partial class StockTable(TableServiceClient service, OptimisticConcurrency concurrency)
{
    private const string StockPrefix = "sku|";
    private const string ReservationPrefix = "res|";
    private const string AdjustmentPrefix = "adj|";
    private const string SlotPrefix = "slot|";

    /// <summary>Azure allows at most 15 comparisons in a filter: the partition, the reservation, the slot, and 12 SKUs.</summary>
    private const int SkusPerQuery = 12;

    private readonly TableClient _table = service.GetTableClient(StorageNames.StockTable);

    public static string StockRowKey(string sku) => StockPrefix + sku;

    public static string ReservationRowKey(string orderId) => ReservationPrefix + orderId;

    /// <summary>A slot's count of orders, by <see cref="O2O.Domain.Stores.Slot.Key"/>: reserved in the same transaction as the stock.</summary>
    public static string SlotRowKey(string slotKey) => SlotPrefix + slotKey;

    /// <summary>Every slot row of the store, past ones too: for the consistency checker, not for the hot path.</summary>
    public Task<IReadOnlyList<SlotEntity>> ListAllSlotsAsync(string storeId, CancellationToken cancellationToken) =>
        _table.ListRangeAsync<SlotEntity>(storeId, SlotPrefix, cancellationToken);

    /// <summary>The store's slot rows of one mode from <paramref name="fromKey"/> on: what each slot has taken, for the buyer's choice.</summary>
    public async Task<IReadOnlyList<SlotEntity>> ListSlotsAsync(string storeId, string fromKey, string mode, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {SlotRowKey(fromKey)} and RowKey lt {SlotRowKey(mode + "}")}");
        var rows = new List<SlotEntity>();
        await foreach (var row in _table.QueryAsync<SlotEntity>(filter, cancellationToken: cancellationToken)) rows.Add(row);
        return rows;
    }

    /// <summary>What an after-sales case did to the store's stock, keyed by the case: written once, so it is done once.</summary>
    public static string CaseStockRowKey(string caseId) => "case|" + caseId;

    public Task<CaseStockEntity?> FindCaseStockAsync(string storeId, string caseId, CancellationToken cancellationToken) =>
        _table.FindAsync<CaseStockEntity>(storeId, CaseStockRowKey(caseId), cancellationToken);

    /// <summary>A clerk's adjustment, keyed by its Idempotency-Key so a repeated request finds it instead of adjusting twice.</summary>
    public static string AdjustmentRowKey(string sku, string idempotencyKey) => $"{AdjustmentPrefix}{sku}|{idempotencyKey}";

    public Task<AdjustmentEntity?> FindAdjustmentAsync(string storeId, string sku, string idempotencyKey, CancellationToken cancellationToken) =>
        _table.FindAsync<AdjustmentEntity>(storeId, AdjustmentRowKey(sku, idempotencyKey), cancellationToken);

    public Task<StockEntity?> FindAsync(string storeId, string sku, CancellationToken cancellationToken) =>
        _table.FindAsync<StockEntity>(storeId, StockRowKey(sku), cancellationToken);

    public Task<IReadOnlyList<StockEntity>> ListAsync(string storeId, CancellationToken cancellationToken) =>
        _table.ListRangeAsync<StockEntity>(storeId, StockPrefix, cancellationToken);

    /// <summary>Every reservation of a store, settled or not: for the consistency checker, not for the hot path.</summary>
    public Task<IReadOnlyList<ReservationEntity>> ListReservationsAsync(string storeId, CancellationToken cancellationToken) =>
        _table.ListRangeAsync<ReservationEntity>(storeId, ReservationPrefix, cancellationToken);

    /// <summary>
    /// The reservations of one store the sweeper must look at: held ones (is there an order?) and
    /// confirmed ones past their order's payment deadline (was it paid?). Released and kept ones
    /// are never returned, so the query stays small however long the store trades.
    /// </summary>
    public async Task<IReadOnlyList<ReservationEntity>> ListUnsettledReservationsAsync(string storeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {ReservationPrefix} and RowKey lt {"res}"}")
            + " and " + TableClient.CreateQueryFilter(
                $"(State eq {nameof(ReservationState.Held)} or (State eq {nameof(ReservationState.Confirmed)} and PayBy lt {now}))");
        var rows = new List<ReservationEntity>();
        await foreach (var row in _table.QueryAsync<ReservationEntity>(filter, cancellationToken: cancellationToken)) rows.Add(row);
        return rows;
    }

    /// <summary>Inserts a new row or replaces the one read, failing with 409/412 if someone else wrote first.</summary>
    public async Task SaveAsync(StockEntity row, CancellationToken cancellationToken)
    {
        if (row.ETag == default) await _table.AddEntityAsync(row, cancellationToken);
        else await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>What an order's reservation is read with: the stock rows of its SKUs, and the row of its slot when it has one.</summary>
    public sealed record OrderRows(IReadOnlyDictionary<string, StockEntity> Stock, ReservationEntity? Reservation, SlotEntity? Slot)
    {
        public void Deconstruct(out IReadOnlyDictionary<string, StockEntity> stock, out ReservationEntity? reservation) =>
            (stock, reservation) = (Stock, Reservation);
    }

    /// <summary>
    /// The stock rows of the given SKUs at one store and, when named, an order's reservation there and a
    /// slot's row: one round trip for up to 12 SKUs.
    /// </summary>
    public async Task<OrderRows> ReadForOrderAsync(
        string storeId, string? orderId, IReadOnlyCollection<string> skus, CancellationToken cancellationToken, string? slotKey = null)
    {
        var stock = new Dictionary<string, StockEntity>(StringComparer.Ordinal);
        ReservationEntity? reservation = null;
        SlotEntity? slot = null;
        var chunks = (skus.Count == 0 ? [[]] : skus.Chunk(SkusPerQuery)).Select((chunk, i) => (chunk, first: i == 0));
        foreach (var (chunk, first) in chunks)
        {
            var rowKeys = chunk.Select(StockRowKey)
                .Concat(first && orderId is not null ? [ReservationRowKey(orderId)] : [])
                .Concat(first && slotKey is not null ? [SlotRowKey(slotKey)] : []);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId}") + " and ("
                + string.Join(" or ", rowKeys.Select(k => TableClient.CreateQueryFilter($"RowKey eq {k}"))) + ")";
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.RowKey.StartsWith(ReservationPrefix, StringComparison.Ordinal)) reservation = ReservationEntity.Read(row);
                else if (row.RowKey.StartsWith(SlotPrefix, StringComparison.Ordinal)) slot = row.As<SlotEntity>();
                else stock[row.RowKey[StockPrefix.Length..]] = row.As<StockEntity>();
            }
        }
        return new(stock, reservation, slot);
    }

    public Task SubmitAsync(PartitionTransaction transaction, CancellationToken cancellationToken) =>
        transaction.SubmitAsync(_table, cancellationToken);

    public sealed class StockEntity : TableRow
    {
        public int OnHand { get; set; }
        public int Reserved { get; set; }
        public bool SoldOut { get; set; }

        /// <summary>Returned units the store could not sell again: off the shelf, counted for the brand's write-off.</summary>
        public int Damaged { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public string Sku => RowKey[StockPrefix.Length..];

        public static StockEntity New(string storeId, string sku) => new() { PartitionKey = storeId, RowKey = StockRowKey(sku) };


        public StockLevel ToLevel() => new(PartitionKey, Sku, OnHand, Reserved, SoldOut);

        /// <summary>
        /// Applies a stock rule (<see cref="StockLevel.Reserve"/>, <see cref="StockLevel.Release"/>,
        /// <see cref="StockLevel.Consume"/>) to this row and adds its write to <paramref name="transaction"/>;
        /// answers how available units changed, for the availability projection.
        /// </summary>
        public StockAvailability.Change Apply(Func<StockLevel, StockLevel> rule, PartitionTransaction transaction, DateTimeOffset at)
        {
            var before = ToLevel();
            var after = rule(before);
            OnHand = after.OnHand;
            Reserved = after.Reserved;
            UpdatedAt = at;
            transaction.Add(TableTransactionActionType.UpdateReplace, this);
            return new StockAvailability.Change(Sku, before.Available, after.Available);
        }

        public StockView ToView(string? name = null)
        {
            var level = ToLevel();
            return new StockView(level.StoreId, level.Sku, name, level.OnHand, level.Reserved,
                level.Available, level.Shortfall, level.SoldOut, UpdatedAt, Damaged);
        }
    }

    /// <summary>Why a store's count changed, by whom and by how much: the store's own stock journal.</summary>
    public sealed class AdjustmentEntity : TableRow
    {
        public string Sku { get; set; } = "";
        public int Delta { get; set; }
        public string Reason { get; set; } = "";
        public int OnHandAfter { get; set; }
        public string By { get; set; } = "";
        public DateTimeOffset At { get; set; }
    }

    /// <summary>The stock step of an after-sales case: units released back to sale, returned units restocked or written off.</summary>
    public sealed class CaseStockEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string Step { get; set; } = "";

        /// <summary>"sku:quantity" pairs, as a reservation's.</summary>
        public string Lines { get; set; } = "";
        public DateTimeOffset At { get; set; }
    }

    /// <summary>How many orders hold a slot: counted up by a reservation, down by its release (a consumed one keeps its place).</summary>
    public sealed class SlotEntity : TableRow
    {
        public int Taken { get; set; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
    }

    /// <summary>Which units of a store an order holds, and whether it still holds them.</summary>
    public sealed class ReservationEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string RequestHash { get; set; } = "";

        /// <summary>"sku:quantity" pairs joined by ','; SKU codes contain neither character.</summary>
        public string Lines { get; set; } = "";

        public ReservationState State { get; set; } = ReservationState.Held;
        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>When the order must be paid by; past it the sweeper checks whether it was.</summary>
        public DateTimeOffset PayBy { get; set; }

        /// <summary>The slot the order holds a place in (<see cref="O2O.Domain.Stores.Slot.Key"/>); none for "as soon as possible".</summary>
        public string? Slot { get; set; }

        public IEnumerable<(string Sku, int Quantity)> ParsedLines() =>
            Lines.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split(':'))
                .Select(p => (p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)));

        /// <summary>A reservation from an untyped row: <c>TableEntity.As&lt;T&gt;</c> cannot turn the stored name into the enum, as typed queries do.</summary>
        public static ReservationEntity Read(TableEntity row)
        {
            var state = Enum.Parse<ReservationState>(row.GetString(nameof(State)));
            row.Remove(nameof(State));
            var reservation = row.As<ReservationEntity>();
            reservation.State = state;
            return reservation;
        }

        public static string FormatLines(IEnumerable<(string Sku, int Quantity)> lines) =>
            string.Join(',', lines.Select(l => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{l.Sku}:{l.Quantity}")));

    }
}

/// <summary>Where a reservation stands; stored by name.</summary>
public enum ReservationState
{
    /// <summary>Units taken from available by a checkout whose order may not be written yet.</summary>
    Held,

    /// <summary>The order exists and awaits payment.</summary>
    Confirmed,

    /// <summary>The order was paid; the units stay reserved until pickup, delivery or cancellation.</summary>
    Kept,

    /// <summary>The units went back to available; the row stays so a replay cannot reserve twice unnoticed.</summary>
    Released,

    /// <summary>The consumer took the goods: the units left the shelf (onHand and reserved both went down).</summary>
    Consumed,
}
