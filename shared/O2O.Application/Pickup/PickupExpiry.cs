using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Stores;
using O2O.Domain.Orders;

namespace O2O.Application.Pickup;

/// <summary>
/// Uncollected pickups: halfway through the hold time a reminder event, at its end the order is
/// cancelled, refunded and its units go back on sale. It reads each store's open codes (one
/// single-partition query per store), never the orders table.
/// </summary>
public sealed class PickupExpiry(
    StoreTable stores, PickupCodeTable codes, OrderChanges changes, StockReservations reservations, RefundQueue refunds, TimeProvider clock)
{
    public sealed record ExpiryResult(int Reminded, int Expired);

    public async Task<ExpiryResult> RunAsync(CancellationToken cancellationToken)
    {
        var total = new ExpiryResult(0, 0);
        foreach (var store in await stores.ListAsync(cancellationToken))
        {
            var result = await RunStoreAsync(store.RowKey, cancellationToken);
            total = new ExpiryResult(total.Reminded + result.Reminded, total.Expired + result.Expired);
        }
        return total;
    }

    public async Task<ExpiryResult> RunStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        int reminded = 0, expired = 0;
        var now = clock.GetUtcNow();
        foreach (var code in await codes.ListOpenAsync(storeId, cancellationToken))
        {
            if (now >= code.ExpiresAt)
            {
                if (await ExpireAsync(storeId, code, cancellationToken)) expired++;
            }
            else if (!code.ReminderSent && now >= code.ExpiresAt - PickupService.HoldTime / 2)
            {
                if (await RemindAsync(code, cancellationToken)) reminded++;
            }
        }
        return new ExpiryResult(reminded, expired);
    }

    private async Task<bool> RemindAsync(PickupCodeTable.PickupCodeEntity code, CancellationToken cancellationToken)
    {
        code.ReminderSent = true;
        if (!await codes.TrySaveAsync(code, cancellationToken)) return false; // verified or reminded meanwhile
        var changed = await changes.ApplyAsync<Order>(code.OrderId, order =>
        {
            order.RemindPickup(clock.GetUtcNow());
            return order;
        }, cancellationToken);
        return changed.IsSuccess;
    }

    private async Task<bool> ExpireAsync(string storeId, PickupCodeTable.PickupCodeEntity code, CancellationToken cancellationToken)
    {
        // Claim the code first, so a clerk can no longer hand the goods over while the order is being cancelled.
        code.State = PickupCodeState.Expired;
        if (!await codes.TrySaveAsync(code, cancellationToken)) return false;
        var expired = await changes.ApplyAsync(code.OrderId, order => order.ExpirePickup(clock.GetUtcNow()), cancellationToken);
        if (!expired.IsSuccess) return false;
        await reservations.ReleaseAsync(storeId, code.OrderId, cancellationToken);
        if (expired.Value.Refund?.Status == RefundStatus.Pending)
            await refunds.RequestAsync(code.OrderId, cancellationToken);
        return true;
    }
}
