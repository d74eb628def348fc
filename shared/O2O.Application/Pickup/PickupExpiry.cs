using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Stores;
using O2O.Domain.Orders;

namespace O2O.Application.Pickup;

/// <summary>
/// The store's code sweep. Uncollected pickups: halfway through the hold time a reminder event, at
/// its end the order is cancelled, refunded and its units go back on sale. A used or expired code
/// whose order did not follow (its request died midway) is finished, and a code closed longer
/// than a wrong-code window ago is deleted, as are the wrong-code counts of ended windows. It reads each store's codes
/// (one single-partition range query per store), never the orders table.
/// </summary>
public sealed class PickupExpiry(
    StoreTable stores, StockTable codes, PickupService pickups, OrderChanges changes, StockReservations reservations, RefundQueue refunds,
    TimeProvider clock)
{
    /// <param name="Finished">Verifications or expiries that had died midway and were completed.</param>
    public sealed record ExpiryResult(int Reminded, int Expired, int Finished = 0)
    {
        public static ExpiryResult operator +(ExpiryResult a, ExpiryResult b) =>
            new(a.Reminded + b.Reminded, a.Expired + b.Expired, a.Finished + b.Finished);
    }

    public async Task<ExpiryResult> RunAsync(CancellationToken cancellationToken)
    {
        var total = new ExpiryResult(0, 0);
        foreach (var store in await stores.ListAsync(cancellationToken))
            total += await RunStoreAsync(store.RowKey, cancellationToken);
        return total;
    }

    public async Task<ExpiryResult> RunStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        int reminded = 0, expired = 0, finished = 0;
        var now = clock.GetUtcNow();
        foreach (var code in await codes.ListCodesAsync(storeId, cancellationToken))
        {
            switch (code.State)
            {
                case PickupCodeState.Open when now >= code.ExpiresAt:
                    if (await ExpireAsync(storeId, code, cancellationToken)) expired++;
                    break;
                case PickupCodeState.Open when !code.ReminderSent && now >= code.RemindAt:
                    if (await RemindAsync(code, cancellationToken)) reminded++;
                    break;
                case PickupCodeState.Used when now - code.UsedAt >= PickupService.UnfinishedAfter:
                    if ((await pickups.FinishPickupAsync(storeId, code, loaded: null, cancellationToken)).IsSuccess) finished++;
                    break;
                case PickupCodeState.Expired:
                    if (await FinishExpiryAsync(storeId, code, cancellationToken)) finished++;
                    break;
                case PickupCodeState.Closed when now - code.ClosedAt >= PickupService.FailureWindow:
                    await codes.DeleteCodeAsync(code, cancellationToken);
                    break;
            }
        }
        await codes.DeleteEndedFailuresAsync(storeId, now, PickupService.FailureWindow, cancellationToken);
        return new ExpiryResult(reminded, expired, finished);
    }

    private async Task<bool> RemindAsync(StockTable.PickupCodeEntity code, CancellationToken cancellationToken)
    {
        code.ReminderSent = true;
        if (!await codes.TrySaveCodeAsync(code, cancellationToken)) return false; // verified or reminded meanwhile
        var changed = await changes.ApplyAsync<Order>(code.OrderId, order =>
        {
            order.RemindPickup(clock.GetUtcNow());
            return order;
        }, cancellationToken);
        return changed.IsSuccess;
    }

    private async Task<bool> ExpireAsync(string storeId, StockTable.PickupCodeEntity code, CancellationToken cancellationToken)
    {
        // Claim the code first, so a clerk can no longer hand the goods over while the order is being cancelled.
        code.State = PickupCodeState.Expired;
        return await codes.TrySaveCodeAsync(code, cancellationToken) && await FinishExpiryAsync(storeId, code, cancellationToken);
    }

    /// <summary>Cancels and refunds the order of an expired code, restocks its units and closes the code; each step is idempotent.</summary>
    private async Task<bool> FinishExpiryAsync(string storeId, StockTable.PickupCodeEntity code, CancellationToken cancellationToken)
    {
        var expired = await changes.ApplyAsync(code.OrderId,
            order => order.Status == OrderStatus.Cancelled ? order : order.ExpirePickup(clock.GetUtcNow()), cancellationToken);
        if (!expired.IsSuccess) return false;
        await reservations.ReleaseAsync(storeId, code.OrderId, cancellationToken);
        if (expired.Value.Refund is { Status: RefundStatus.Pending } refund)
            await refunds.RequestAsync(refund.OutRefundNo, cancellationToken);
        await codes.CloseCodeAsync(code, clock.GetUtcNow(), cancellationToken);
        return true;
    }
}
