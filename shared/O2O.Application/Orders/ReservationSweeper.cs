using Microsoft.Extensions.Logging;
using O2O.Application.Payments;
using O2O.Application.Stores;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Settles each store's open reservations, one single-partition query per store, never scanning
/// orders:
/// - a held reservation whose order was never written (checkout crashed between its two
///   transactions) is released; one whose order exists is confirmed, and the relay is nudged
///   again if that order's events are still unpublished (its nudge was lost);
/// - a confirmed reservation past its payment deadline: an unpaid order is cancelled, a cancelled
///   order's units are released, a paid order's units are kept.
/// </summary>
public sealed partial class ReservationSweeper(
    StoreTable stores,
    StockTable stock,
    StockReservations reservations,
    OrderTable orders,
    OrderChanges changes,
    OrderCancellation cancellation,
    PaymentService payments,
    TimeProvider clock,
    ILogger<ReservationSweeper> logger)
{
    /// <summary>Four times checkout's own deadline, so no live request can still write the order.</summary>
    public static readonly TimeSpan OrphanAge = CheckoutService.IntakeDeadline * 4;

    public sealed record SweepResult(int Confirmed, int Released, int Nudged, int Cancelled)
    {
        public static SweepResult operator +(SweepResult a, SweepResult b) =>
            new(a.Confirmed + b.Confirmed, a.Released + b.Released, a.Nudged + b.Nudged, a.Cancelled + b.Cancelled);
    }

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var total = new SweepResult(0, 0, 0, 0);
        foreach (var store in await stores.ListAsync(cancellationToken))
            total += await SweepStoreAsync(store.RowKey, cancellationToken);
        return total;
    }

    public async Task<SweepResult> SweepStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        var result = new SweepResult(0, 0, 0, 0);
        var now = clock.GetUtcNow();
        foreach (var reservation in await stock.ListUnsettledReservationsAsync(storeId, now, cancellationToken))
        {
            if (reservation.State == ReservationState.Held && reservation.CreatedAt >= now - OrphanAge) continue;
            try
            {
                result += await SweepAsync(storeId, reservation, now, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One order that cannot be settled now must not stop the rest; the next sweep tries it again.
                LogSweepFailed(logger, e, reservation.OrderId, storeId);
            }
        }
        return result;
    }

    private async Task<SweepResult> SweepAsync(string storeId, StockTable.ReservationEntity reservation,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(reservation.OrderId, cancellationToken);
        return stored is null || stored.Order.StoreId != storeId
            ? await ReleaseAsync(storeId, reservation.OrderId, cancellationToken)
            : reservation.State == ReservationState.Held
                ? await ConfirmAsync(storeId, stored, cancellationToken)
                : await SettleAsync(storeId, stored, now, cancellationToken);
    }

    private async Task<SweepResult> ReleaseAsync(string storeId, string orderId, CancellationToken cancellationToken)
    {
        if (!await reservations.ReleaseAsync(storeId, orderId, cancellationToken)) return new(0, 0, 0, 0);
        LogReleased(logger, orderId, storeId);
        return new(0, 1, 0, 0);
    }

    private async Task<SweepResult> ConfirmAsync(string storeId, OrderTable.StoredOrder stored, CancellationToken cancellationToken)
    {
        await reservations.AdvanceAsync(storeId, stored.Order.Id, ReservationState.Held, ReservationState.Confirmed, cancellationToken);
        if (!OutboxRelay.HasUnpublished(stored)) return new(1, 0, 0, 0);
        await changes.NudgeRelayAsync(stored.Order.Id, cancellationToken);
        return new(1, 0, 1, 0);
    }

    private async Task<SweepResult> SettleAsync(string storeId, OrderTable.StoredOrder stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var order = stored.Order;
        switch (order.Status)
        {
            case OrderStatus.Cancelled:
                return await ReleaseAsync(storeId, order.Id, cancellationToken);
            case OrderStatus.PendingPayment when order.PayBy <= now:
                // Ask WeChat Pay first: a payment whose notification was lost must not be cancelled.
                bool paid;
                try
                {
                    paid = await payments.ReconcileAsync(order.Id, cancellationToken);
                }
                catch (Exception e) when (PaymentService.IsPartnerFailure(e))
                {
                    LogUnreachable(logger, e, order.Id);
                    return new(0, 0, 0, 0); // try again on the next sweep
                }
                if (paid) return new(0, 0, 0, 0);
                // Paid since it was read: ExpireUnpaid leaves it alone, and the reservation waits for the next sweep.
                if (!(await cancellation.ExpireUnpaidAsync(order.Id, cancellationToken)).IsSuccess) return new(0, 0, 0, 0);
                return new(0, 1, 0, 1);
            case OrderStatus.PendingPayment:
                return new(0, 0, 0, 0); // the reservation's deadline came a moment before the order's
            default:
                await reservations.AdvanceAsync(storeId, order.Id, ReservationState.Confirmed, ReservationState.Kept, cancellationToken);
                return new(0, 0, 0, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not settle the reservation of order {OrderId} at store {StoreId}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string orderId, string storeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask WeChat Pay whether order {OrderId} was paid; it stays open")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the reservation of order {OrderId} at store {StoreId}")]
    private static partial void LogReleased(ILogger logger, string orderId, string storeId);
}
