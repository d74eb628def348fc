using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

public enum ReservationOutcome
{
    /// <summary>Every line is now reserved at the store for the order.</summary>
    Reserved,

    /// <summary>The store lacks at least one line; nothing was written.</summary>
    Shortfall,

    /// <summary>The order already holds a reservation at this store (a repeated request).</summary>
    AlreadyHeld,

    /// <summary>Other buyers won every attempt on these rows; nothing was written, and a retry may succeed.</summary>
    Contended,

    /// <summary>The store has the lines, but the slot asked for has no room left; nothing was written.</summary>
    SlotFull,
}

/// <summary>A place in one of a store's slots, asked for with the stock: <paramref name="Key"/> names its row, <paramref name="Capacity"/> its room.</summary>
public sealed record SlotClaim(string Key, Slot Slot, int Capacity);

/// <summary>What checkout needs to know of an order's reservation: whose request made it, its state and when.</summary>
public sealed record Reservation(string OrderId, string RequestHash, ReservationState State, DateTimeOffset CreatedAt)
{
    internal static Reservation? From(StockTable.ReservationEntity? row) =>
        row is null ? null : new(row.OrderId, row.RequestHash, row.State, row.CreatedAt);
}

/// <summary>
/// Reserves and releases a store's stock for an order. All lines and the reservation record are
/// one entity group transaction guarded by the rows' ETags: a concurrent buyer makes it fail
/// whole, and it is re-read and retried, so stock is never oversold nor partly reserved. Within an
/// instance, buyers of the same rows take turns (<see cref="KeyedTurns"/>) rather than race.
/// A change that takes a SKU's available units to zero or back is projected for routing
/// (<see cref="StockAvailability"/>) once the transaction committed. An order for a slot takes its
/// place in the slot's row in the same transaction, guarded the same way, so a slot is never
/// oversold either; releasing the units gives the place back.
/// </summary>
public sealed class StockReservations(StockTable stock, StockAvailability availability, KeyedTurns turns, OptimisticConcurrency concurrency, TimeProvider clock)
{
    public async Task<(ReservationOutcome Outcome, Reservation? Reservation)> ReserveAsync(string storeId, string orderId, string requestHash,
        IReadOnlyList<CartLine> lines, TimeSpan unpaidTimeout, CancellationToken cancellationToken, SlotClaim? slot = null)
    {
        var (outcome, row) = await ReserveRowsAsync(storeId, orderId, requestHash, lines, unpaidTimeout, slot, cancellationToken);
        return (outcome, Reservation.From(row));
    }

    private async Task<(ReservationOutcome Outcome, StockTable.ReservationEntity? Reservation)> ReserveRowsAsync(string storeId, string orderId,
        string requestHash, IReadOnlyList<CartLine> lines, TimeSpan unpaidTimeout, SlotClaim? slot, CancellationToken cancellationToken)
    {
        var skus = lines.Select(l => l.Sku).ToList();
        // Read before waiting for a turn: a repeat, a sold-out SKU or a full slot answers at once, not after every buyer ahead of it.
        var read = await stock.ReadForOrderAsync(storeId, orderId, skus, cancellationToken, slot?.Key);
        if (Decide(read, lines, slot) is { } early) return early;
        var turnKeys = skus.Select(sku => TurnKey(storeId, sku)).Concat(slot is null ? [] : [$"slot|{storeId}|{slot.Key}"]);
        using var pass = await turns.EnterAsync(turnKeys, cancellationToken);
        if (pass is null) return (ReservationOutcome.Contended, null);
        try
        {
            // Rows read before waiting are stale: another buyer wrote them in the meantime.
            var changes = new List<StockAvailability.Change>();
            var reserved = await TryReserveAsync(storeId, orderId, requestHash, lines, unpaidTimeout, slot, pass.Waited ? null : read, changes,
                cancellationToken);
            await availability.ProjectAsync(storeId, changes, cancellationToken);
            return reserved;
        }
        catch (RequestFailedException e) when (OptimisticConcurrency.IsLostRace(e))
        {
            return (ReservationOutcome.Contended, null);
        }
    }

    /// <summary>The turn of one stock row, for every writer of it within the instance.</summary>
    public static string TurnKey(string storeId, string sku) => $"stock|{storeId}|{sku}";

    private static (ReservationOutcome, StockTable.ReservationEntity?)? Decide(StockTable.OrderRows read, IReadOnlyList<CartLine> lines, SlotClaim? slot)
    {
        if (read.Reservation is { State: not ReservationState.Released }) return (ReservationOutcome.AlreadyHeld, read.Reservation);
        if (lines.Any(l => !read.Stock.TryGetValue(l.Sku, out var row) || row.ToLevel().Available < l.Quantity)) return (ReservationOutcome.Shortfall, null);
        if (slot is not null && (read.Slot?.Taken ?? 0) >= slot.Capacity) return (ReservationOutcome.SlotFull, null);
        return null;
    }

    private async Task<(ReservationOutcome Outcome, StockTable.ReservationEntity? Reservation)> TryReserveAsync(
        string storeId, string orderId, string requestHash, IReadOnlyList<CartLine> lines, TimeSpan unpaidTimeout, SlotClaim? slot,
        StockTable.OrderRows? fresh, List<StockAvailability.Change> changes, CancellationToken cancellationToken) =>
        await concurrency.RunAsync<(ReservationOutcome, StockTable.ReservationEntity?)>(async ct =>
        {
            var read = fresh ?? await stock.ReadForOrderAsync(storeId, orderId, lines.Select(l => l.Sku).ToList(), ct, slot?.Key);
            fresh = null; // a retry reads again
            changes.Clear();
            if (Decide(read, lines, slot) is { } decided) return decided;
            var (rows, existing) = read;

            var now = clock.GetUtcNow();
            var transaction = new PartitionTransaction(storeId);
            foreach (var line in lines)
                changes.Add(rows[line.Sku].Apply(level => level.Reserve(line.Quantity), transaction, now));
            var reservation = existing ?? new StockTable.ReservationEntity { PartitionKey = storeId, RowKey = StockTable.ReservationRowKey(orderId) };
            reservation.OrderId = orderId;
            reservation.RequestHash = requestHash;
            reservation.Lines = StockTable.ReservationEntity.FormatLines(lines.Select(l => (l.Sku, l.Quantity)));
            reservation.State = ReservationState.Held;
            reservation.CreatedAt = now;
            reservation.PayBy = now + unpaidTimeout;
            reservation.Slot = slot?.Key;
            transaction.Add(existing is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, reservation);
            if (slot is not null) TakePlace(transaction, storeId, slot, read.Slot);
            await stock.SubmitAsync(transaction, ct);
            return (ReservationOutcome.Reserved, reservation);
        }, cancellationToken);

    private static void TakePlace(PartitionTransaction transaction, string storeId, SlotClaim claim, StockTable.SlotEntity? row)
    {
        if (row is null)
        {
            transaction.Add(TableTransactionActionType.Add, new StockTable.SlotEntity
            {
                PartitionKey = storeId, RowKey = StockTable.SlotRowKey(claim.Key), Taken = 1, Start = claim.Slot.Start, End = claim.Slot.End,
            });
            return;
        }
        row.Taken++;
        transaction.Add(TableTransactionActionType.UpdateReplace, row);
    }

    /// <summary>Gives the order's units back to available; false when it held none (already settled, or never reserved).</summary>
    public Task<bool> ReleaseAsync(string storeId, string orderId, CancellationToken cancellationToken) =>
        SettleAsync(storeId, orderId, ReservationState.Released, cancellationToken);

    /// <summary>
    /// The order's units left the store for good (delivered): on hand and reserved both drop, for
    /// <paramref name="handedOver"/> (units an after-sales case refunded in the store are released). False if already settled.
    /// </summary>
    public Task<bool> ConsumeAsync(string storeId, string orderId, IReadOnlyList<CartLine> handedOver, CancellationToken cancellationToken) =>
        SettleAsync(storeId, orderId, ReservationState.Consumed, cancellationToken, handedOver);

    /// <remarks>Settling writes the same stock rows as checkouts at the store: within the instance it takes their turns.</remarks>
    private async Task<bool> SettleAsync(
        string storeId, string orderId, ReservationState settled, CancellationToken cancellationToken, IReadOnlyList<CartLine>? handedOver = null)
    {
        var (_, held) = await stock.ReadForOrderAsync(storeId, orderId, [], cancellationToken);
        if (held is null || held.State is ReservationState.Released or ReservationState.Consumed) return false;
        var skus = held.ParsedLines().Select(l => l.Sku).ToList();
        using var pass = await turns.EnterAsync(skus.Select(sku => TurnKey(storeId, sku)), cancellationToken); // too long in line: the ETags decide
        var changes = new List<StockAvailability.Change>();
        var done = await concurrency.RunAsync(async ct =>
        {
            changes.Clear();
            var read = await stock.ReadForOrderAsync(storeId, orderId, skus, ct, held.Slot);
            if (read.Reservation is not { } reservation || reservation.State is ReservationState.Released or ReservationState.Consumed) return false;
            var transaction = new PartitionTransaction(storeId);
            changes.AddRange(AddSettlement(transaction, read.Stock, reservation, settled, clock.GetUtcNow(), handedOver, read.Slot));
            await stock.SubmitAsync(transaction, ct);
            return true;
        }, cancellationToken);
        await availability.ProjectAsync(storeId, changes, cancellationToken);
        return done;
    }

    /// <summary>
    /// The one way a reservation is settled: its units released or consumed on the stock rows read
    /// with it, and the reservation marked, all added to the caller's transaction in the store's
    /// partition (a verification adds them beside its code and lockout rows). Consuming takes off
    /// the shelf only the units <paramref name="handedOver"/>; any others the reservation still
    /// holds (refunded by an after-sales case whose own release has not run yet) are released.
    /// Releasing gives the order's place in its slot back (<paramref name="slot"/>, read with the
    /// rows); a consumed order keeps it, the slot having been used.
    /// </summary>
    public static IReadOnlyList<StockAvailability.Change> AddSettlement(
        PartitionTransaction transaction, IReadOnlyDictionary<string, StockTable.StockEntity> rows, StockTable.ReservationEntity reservation,
        ReservationState settled, DateTimeOffset at, IReadOnlyList<CartLine>? handedOver = null, StockTable.SlotEntity? slot = null)
    {
        if (settled == ReservationState.Released && slot is { Taken: > 0 } && reservation.Slot is not null)
        {
            slot.Taken--;
            transaction.Add(TableTransactionActionType.UpdateReplace, slot);
        }
        Func<int, Func<StockLevel, StockLevel>> rule = settled switch
        {
            ReservationState.Consumed => quantity => level => level.Consume(quantity),
            ReservationState.Released => quantity => level => level.Release(quantity),
            _ => throw new ArgumentOutOfRangeException(nameof(settled), settled, "A reservation settles as Released or Consumed."),
        };
        var changes = new List<StockAvailability.Change>();
        foreach (var (sku, quantity) in reservation.ParsedLines())
        {
            if (!rows.TryGetValue(sku, out var row)) continue;
            if (settled != ReservationState.Consumed || handedOver is null)
            {
                changes.Add(row.Apply(rule(quantity), transaction, at));
                continue;
            }
            var consumed = Math.Min(quantity, handedOver.Where(l => l.Sku == sku).Sum(l => l.Quantity));
            changes.Add(row.Apply(level => level.Consume(consumed).Release(quantity - consumed), transaction, at));
        }
        reservation.State = settled;
        transaction.Add(TableTransactionActionType.UpdateReplace, reservation);
        return changes;
    }

    /// <summary>Moves a reservation on from <paramref name="from"/> (held → confirmed, confirmed → kept); a no-op from any other state.</summary>
    public async Task AdvanceAsync(string storeId, string orderId, ReservationState from, ReservationState to, CancellationToken cancellationToken) =>
        await concurrency.RunAsync(async ct =>
        {
            var (_, reservation) = await stock.ReadForOrderAsync(storeId, orderId, [], ct);
            if (reservation?.State != from) return false;
            reservation.State = to;
            await stock.SubmitAsync(new PartitionTransaction(storeId).Add(TableTransactionActionType.UpdateReplace, reservation), ct);
            return true;
        }, cancellationToken);
}
