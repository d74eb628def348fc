using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using O2O.Application.Storage;
using O2O.Application.Stores;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Repairs what a crash between checkout's two transactions can leave: a reservation whose order
/// was never written is released; one whose order exists is confirmed, and if that order still
/// has unpublished events (its relay nudge was lost) the relay is nudged again. It reads each
/// store's reservation range, one single-partition query per store, and never scans orders.
/// </summary>
public sealed partial class ReservationSweeper(
    StoreTable stores,
    StockTable stock,
    StockReservations reservations,
    OrderTable orders,
    QueueServiceClient queues,
    TimeProvider clock,
    ILogger<ReservationSweeper> logger)
{
    /// <summary>Four times checkout's own deadline, so no live request can still write the order.</summary>
    public static readonly TimeSpan OrphanAge = CheckoutService.IntakeDeadline * 4;

    public sealed record SweepResult(int Confirmed, int Released, int Nudged);

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var total = new SweepResult(0, 0, 0);
        foreach (var store in await stores.ListAsync(cancellationToken))
        {
            var swept = await SweepStoreAsync(store.RowKey, cancellationToken);
            total = new SweepResult(total.Confirmed + swept.Confirmed, total.Released + swept.Released, total.Nudged + swept.Nudged);
        }
        return total;
    }

    public async Task<SweepResult> SweepStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        int confirmed = 0, released = 0, nudged = 0;
        var cutoff = clock.GetUtcNow() - OrphanAge;
        foreach (var reservation in (await stock.ListHeldReservationsAsync(storeId, cancellationToken)).Where(r => r.CreatedAt < cutoff))
        {
            var consumerKey = OrderIds.ConsumerKeyOf(reservation.OrderId);
            var order = consumerKey is null ? null : await orders.GetAsync(consumerKey, reservation.OrderId, cancellationToken);
            if (order is null || order.Order.StoreId != storeId)
            {
                if (await reservations.ReleaseAsync(storeId, reservation.OrderId, cancellationToken))
                {
                    released++;
                    LogReleased(logger, reservation.OrderId, storeId);
                }
                continue;
            }
            await reservations.ConfirmAsync(storeId, reservation.OrderId, cancellationToken);
            confirmed++;
            if (OutboxRelay.HasUnpublished(order))
            {
                await queues.GetQueueClient(StorageNames.OrderOutboxQueue).SendMessageAsync(reservation.OrderId, cancellationToken);
                nudged++;
            }
        }
        return new SweepResult(confirmed, released, nudged);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released orphaned reservation of order {OrderId} at store {StoreId}")]
    private static partial void LogReleased(ILogger logger, string orderId, string storeId);
}
