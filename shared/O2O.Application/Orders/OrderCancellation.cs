using O2O.Application.Payments;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// Cancels an order that the store has not accepted: the order's transition with its event (and,
/// if it was paid, its refund decided), then the release of its stock and the refund request.
/// A crash between them leaves a reservation of a cancelled order, which the sweeper releases
/// once the order's payment deadline has passed. An order cancelled unpaid after a prepay has its
/// WeChat Pay order closed (through the CheckPayment queue); were that lost, WeChat Pay still
/// refuses payment after the prepay's time_expire, and a payment before it is refunded.
/// </summary>
public sealed class OrderCancellation(OrderChanges changes, StockReservations reservations,
    RefundQueue refunds, PaymentCheckQueue paymentChecks, TimeProvider clock)
{
    public const string ByConsumer = "consumer";

    /// <summary>Cancelling an order that is already cancelled answers it again and changes nothing.</summary>
    public Task<Result<OrderView>> CancelAsync(string orderId, string by, string reason, CancellationToken cancellationToken) =>
        ApplyAsync(orderId, order => order.Cancel(clock.GetUtcNow(), by, reason), cancellationToken);

    /// <summary>The payment deadline passed: cancels the order only if it is still unpaid.</summary>
    public Task<Result<OrderView>> ExpireUnpaidAsync(string orderId, CancellationToken cancellationToken) =>
        ApplyAsync(orderId, order => order.ExpireUnpaid(clock.GetUtcNow()), cancellationToken);

    private async Task<Result<OrderView>> ApplyAsync(string orderId, Func<Order, Result<Order>> cancel, CancellationToken cancellationToken)
    {
        var cancelled = await changes.ApplyAsync(orderId, order => order.Status == OrderStatus.Cancelled ? order : cancel(order), cancellationToken);
        if (!cancelled.IsSuccess) return cancelled.Error;

        var order = cancelled.Value;
        await reservations.ReleaseAsync(order.StoreId, order.Id, cancellationToken);
        if (order.Refund is { Status: RefundStatus.Pending } refund)
            await refunds.RequestAsync(refund.OutRefundNo, cancellationToken);
        else if (order is { Payment: null, Prepay: not null })
            await paymentChecks.RequestAsync(order.Id, TimeSpan.Zero, cancellationToken); // close its WeChat Pay order: it can no longer be paid
        return OrderView.From(order);
    }
}
