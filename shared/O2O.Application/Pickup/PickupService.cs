using Azure.Data.Tables;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Pickup;

/// <summary>
/// Pickup (核销) by the code an order got when the clerk marked it ready. Verifying marks the code
/// used, takes the units off the shelf and settles the reservation in one transaction in the store's partition, so of two clerks entering
/// the same code at once exactly one succeeds; the order follows in a second step, which a retry
/// or the store's code sweep finishes if the first request dies between the two. Five wrong codes
/// in 15 minutes close the store's verification for the rest of the window: 10^6 codes cannot be
/// guessed at that rate, nor in parallel: a wrong code is answered only once it was counted (with
/// the count's ETag), and a right one is taken in a transaction that also requires the count
/// unchanged, so however many guesses arrive at once, no more than five get an answer.
/// </summary>
public sealed class PickupService(OrderTable orders, OrderChanges changes, StockTable stock, StoreDirectory stores,
    KeyedTurns turns, OptimisticConcurrency concurrency, TimeProvider clock)
{
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public const int MaxFailures = 5;

    /// <summary>A code used longer ago than this whose order is not picked up belongs to a verification that died midway.</summary>
    public static readonly TimeSpan UnfinishedAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What the clerk checks before handing the goods over: the order a code opens, without using
    /// the code. A preview is counted exactly as a verification, or it would be a way round the
    /// lockout: a wrong code is counted, and a right one is answered only once it was admitted
    /// under the count's ETag while the store was not locked.
    /// </summary>
    public async Task<Result<OrderView>> PreviewAsync(string storeId, string? code, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var found = await FindWaitingAsync(storeId, code, now, cancellationToken);
        if (!found.IsSuccess) return found.Error;
        if (found.Value.Claimed.State != PickupCodeState.Open) return AlreadyUsed;
        return await stock.TryAdmitRightCodeAsync(storeId, found.Value.Failures, now, FailureWindow, MaxFailures, cancellationToken)
            ? OrderView.ForStore(found.Value.Stored.Order)
            : Locked;
    }

    public async Task<Result<OrderView>> VerifyAsync(string storeId, string? code, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var found = await FindWaitingAsync(storeId, code, now, cancellationToken);
        if (!found.IsSuccess) return found.Error;
        var (claimed, stored, _) = found.Value;
        if (claimed.State == PickupCodeState.Open && (stored.Order.HasOpenCase || IsHeld(claimed, stored.Order, now))) return Order.AfterSalesOpen;
        switch (claimed.State)
        {
            case PickupCodeState.Used when now - claimed.UsedAt < UnfinishedAfter:
                // Another clerk's verification is finishing. Never hand the goods over twice.
                return Error.Conflict("Another clerk verified this code at the same moment; the goods were handed over once.");
            case PickupCodeState.Used:
                break; // the verification that used it died before the order followed: finish it
            default:
                switch (await ConsumeAsync(storeId, found.Value, now, cancellationToken))
                {
                    case Consumed.ByAnotherClerk:
                        return Error.Conflict("Another clerk verified this code at the same moment; the goods were handed over once.");
                    case Consumed.LockedMeanwhile:
                        return Locked;
                    case Consumed.HeldForCase:
                        return Order.AfterSalesOpen;
                }
                break;
        }
        var picked = await FinishPickupAsync(storeId, claimed, stored, cancellationToken);
        return picked.IsSuccess ? OrderView.ForStore(picked.Value) : picked.Error;
    }

    /// <summary>
    /// The second step of a verification, after the code was used and the stock consumed: the order,
    /// in the consumer's partition, then the code is closed. Also how a verification that died
    /// between the two is finished, by a clerk's retry or by the store's code sweep.
    /// </summary>
    /// <remarks>The used code stays this order's until closed (only a closed code is issued again), so closing needs no re-read.</remarks>
    /// <param name="loaded">The order, if the caller has just read it.</param>
    public async Task<Result<Order>> FinishPickupAsync(
        string storeId, StockTable.PickupCodeEntity usedCode, OrderTable.StoredOrder? loaded, CancellationToken cancellationToken)
    {
        Func<Order, Result<Order>> pickUp = o => o.MarkPickedUp(clock.GetUtcNow(), $"store:{storeId}");
        var picked = loaded is null
            ? await changes.ApplyAsync(usedCode.OrderId, pickUp, cancellationToken)
            : await changes.ApplyAsync(loaded, pickUp, cancellationToken);
        if (picked.IsSuccess) await stock.CloseCodeAsync(usedCode, clock.GetUtcNow(), cancellationToken);
        return picked;
    }

    private enum Consumed { Now, ByAnotherClerk, LockedMeanwhile, HeldForCase }

    /// <summary>
    /// Whether an after-sales case holds the code: the case is open, or the order does not show it
    /// yet and the hold is fresh (a case being opened right now). A hold whose case never made it
    /// into the order, or has closed, is ignored.
    /// </summary>
    private static bool IsHeld(StockTable.PickupCodeEntity code, Order order, DateTimeOffset now) =>
        code.HeldFor is { } caseId && (order.Case(caseId) is { } held ? held.IsOpen : now - code.HeldAt < UnfinishedAfter);

    public enum Hold { Held, HandingOver, NoCode }

    /// <summary>
    /// Holds the order's pickup code for a case about to be opened, before the order is written, so
    /// that of a case and a clerk's verification at the same moment exactly one goes through: a code
    /// already used means the goods are being handed over, and the case must wait for that.
    /// </summary>
    public async Task<Hold> HoldForCaseAsync(string storeId, string code, string caseId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var row = await stock.FindCodeAsync(storeId, code, cancellationToken);
            if (row is null || row.State is PickupCodeState.Expired or PickupCodeState.Closed) return Hold.NoCode;
            if (row.State == PickupCodeState.Used) return Hold.HandingOver;
            row.HeldFor = caseId;
            row.HeldAt = clock.GetUtcNow();
            if (await stock.TrySaveCodeAsync(row, cancellationToken)) return Hold.Held;
        }
        return Hold.HandingOver; // the code keeps changing under us: a clerk is at it
    }

    /// <summary>
    /// Marks the code used, consumes the units and settles the reservation, provided the store's
    /// wrong-code count is unchanged and under the limit; a lost race re-reads and decides again.
    /// The first try uses the code and the count as the lookup read them: their ETags say whether
    /// anything changed since. Every verification at a store writes its count row, and a
    /// verification shares stock rows with the store's checkouts: within an instance they take
    /// turns rather than race on ETags.
    /// </summary>
    private async Task<Consumed> ConsumeAsync(string storeId, Waiting waiting, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var order = waiting.Stored.Order;
        var code = order.Pickup!.Code;
        // Kept waiting too long, it goes ahead: the ETags still decide.
        using var pass = await turns.EnterAsync([$"vf|{storeId}", .. order.Lines.Select(l => StockReservations.TurnKey(storeId, l.Sku))], cancellationToken);
        var firstTry = true;
        return await concurrency.RunAsync(async ct =>
        {
            var claimed = firstTry ? waiting.Claimed : await stock.FindCodeAsync(storeId, code, ct);
            var failures = firstTry ? waiting.Failures : await stock.FailuresAsync(storeId, at, FailureWindow, ct);
            firstTry = false;
            if (claimed?.State != PickupCodeState.Open) return Consumed.ByAnotherClerk;
            if (IsHeld(claimed, order, at)) return Consumed.HeldForCase;
            if (failures?.Count >= MaxFailures) return Consumed.LockedMeanwhile;
            var (rows, reservation) = await stock.ReadForOrderAsync(storeId, order.Id, order.Lines.Select(l => l.Sku).ToList(), ct);
            var transaction = new PartitionTransaction(storeId);
            StockTable.RequireUnchanged(transaction, failures, storeId, at, FailureWindow);
            claimed.State = PickupCodeState.Used;
            claimed.UsedAt = clock.GetUtcNow();
            transaction.Add(TableTransactionActionType.UpdateReplace, claimed);
            var now = clock.GetUtcNow();
            // Taking the units off the shelf leaves available as it was: no availability change to project.
            if (reservation is not null) StockReservations.AddSettlement(transaction, rows, reservation, ReservationState.Consumed, now, order.UnitsToHandOver);
            else
                foreach (var line in order.UnitsToHandOver)
                    if (rows.TryGetValue(line.Sku, out var row)) row.Apply(level => level.Consume(line.Quantity), transaction, now);
            await stock.SubmitAsync(transaction, ct); // a lost race (412/409) re-reads: the other clerk won, or a wrong code was counted
            return Consumed.Now;
        }, cancellationToken);
    }

    /// <summary>
    /// A wrong code is said to be wrong only once counted, with the tries left before the lockout (so the clerk can slow down);
    /// past the limit it is answered like any code then.
    /// </summary>
    private async Task<Error> WrongAsync(string storeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await stock.TryCountFailureAsync(storeId, now, FailureWindow, MaxFailures, cancellationToken) is { } counted
            ? new Error(ErrorCodes.NotFound, $"No order of this store waits for that code; {MaxFailures - counted} tries left before verification pauses.",
                Facts: new Dictionary<string, object> { ["triesLeft"] = MaxFailures - counted })
            : Locked;

    /// <summary>
    /// The code's claim and its order, if the code is this store's and its order waits for it (or
    /// was handed over by a verification that died midway). Each way a code can fail has its own
    /// answer, so the clerk knows what to tell the consumer; only a wrong code is counted.
    /// </summary>
    private async Task<Result<Waiting>> FindWaitingAsync(string storeId, string? input, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failures = await stock.FailuresAsync(storeId, now, FailureWindow, cancellationToken);
        if (failures?.Count >= MaxFailures) return Locked;
        var code = PickupQr.CodeOf(input, storeId);
        if (input is not null && code is null) return await WrongStoreAsync(input, cancellationToken); // tells nothing of this store's codes: not counted
        if (code is null || code.Length != 6 || !code.All(char.IsAsciiDigit)) return await WrongAsync(storeId, now, cancellationToken);

        var claimed = await stock.FindCodeAsync(storeId, code, cancellationToken);
        var stored = claimed is null ? null : await orders.FindAsync(claimed.OrderId, cancellationToken);
        if (stored?.Order is not { } order || order.StoreId != storeId || order.Pickup?.Code != code
            || !(order.Status is OrderStatus.ReadyForPickup or OrderStatus.PickedUp || order.NothingToHandOver))
            return await WrongAsync(storeId, now, cancellationToken);
        // A right code whose order waits for nothing: said only once admitted under the count's ETag, like any right code.
        var settled = order.Status == OrderStatus.PickedUp ? AlreadyUsed
            : order.NothingToHandOver ? NothingLeft
            : claimed!.State is PickupCodeState.Expired or PickupCodeState.Closed ? Expired
            : null;
        if (settled is not null)
            return await stock.TryAdmitRightCodeAsync(storeId, failures, now, FailureWindow, MaxFailures, cancellationToken) ? settled : Locked;
        return new Waiting(claimed!, stored, failures);
    }

    /// <summary>A code found waiting, its order, and the store's wrong-code count as read alongside.</summary>
    private sealed record Waiting(StockTable.PickupCodeEntity Claimed, OrderTable.StoredOrder Stored, StockTable.FailureEntity? Failures);

    private static readonly Error AlreadyUsed = new(ErrorCodes.PickupCodeUsed, "This code was already used: the goods were handed over.");

    private static readonly Error Expired = new(ErrorCodes.PickupCodeExpired, "This code has expired; the order is being cancelled and refunded.");

    private static readonly Error NothingLeft =
        new(ErrorCodes.NothingToHandOver, "Every unit of this order was refunded before it left the store: there is nothing to hand over.");

    /// <summary>Another store's QR code: which store, by name, so the clerk can send the consumer there.</summary>
    private async Task<Error> WrongStoreAsync(string input, CancellationToken cancellationToken)
    {
        var store = PickupQr.StoreOf(input) is { } storeId ? await stores.FindAsync(storeId, cancellationToken) : null;
        return store is null
            ? new Error(ErrorCodes.WrongStore, "This QR code is for another store's order: the consumer should collect it there.")
            : new Error(ErrorCodes.WrongStore, $"This QR code is for an order of store '{store.Id}' ({store.Name}): the consumer should collect it there.",
                Facts: new Dictionary<string, object> { ["storeId"] = store.Id, ["storeName"] = store.Name });
    }

    private static readonly Error Locked = new(ErrorCodes.RateLimited, "Too many wrong codes at this store; verification reopens within 15 minutes.");

}
