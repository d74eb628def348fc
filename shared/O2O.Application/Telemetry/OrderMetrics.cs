using System.Diagnostics.Metrics;
using O2O.Domain.Orders;

namespace O2O.Application.Telemetry;

/// <summary>
/// What a brand watches, counted where an order's change is committed (once per change that
/// lands, never for a lost race): orders placed, paid, cancelled and refunded, in count and fen;
/// how long from paid to accepted and to handed over; and what pages an operator: courier
/// bookings that failed, refunds and withdrawals stuck, events waiting in the outbox.
/// </summary>
public static class OrderMetrics
{
    private static readonly Counter<long> Placed = O2OTelemetry.Meter.CreateCounter<long>("o2o.orders.placed", "{order}");
    private static readonly Counter<long> PlacedFen = O2OTelemetry.Meter.CreateCounter<long>("o2o.orders.placed.amount", "fen");
    private static readonly Counter<long> Paid = O2OTelemetry.Meter.CreateCounter<long>("o2o.orders.paid", "{order}");
    private static readonly Counter<long> PaidFen = O2OTelemetry.Meter.CreateCounter<long>("o2o.orders.paid.amount", "fen");
    private static readonly Counter<long> Cancelled = O2OTelemetry.Meter.CreateCounter<long>("o2o.orders.cancelled", "{order}");
    private static readonly Counter<long> Refunded = O2OTelemetry.Meter.CreateCounter<long>("o2o.refunds.succeeded", "{refund}");
    private static readonly Counter<long> RefundedFen = O2OTelemetry.Meter.CreateCounter<long>("o2o.refunds.succeeded.amount", "fen");
    private static readonly Histogram<double> PaidToAccepted = O2OTelemetry.Meter.CreateHistogram<double>("o2o.orders.paid_to_accepted", "s");
    private static readonly Histogram<double> PaidToHandedOver = O2OTelemetry.Meter.CreateHistogram<double>("o2o.orders.paid_to_handed_over", "s");
    private static readonly Counter<long> BookingsFailed = O2OTelemetry.Meter.CreateCounter<long>("o2o.courier.bookings.failed", "{booking}");
    private static readonly Histogram<double> OutboxAge = O2OTelemetry.Meter.CreateHistogram<double>("o2o.outbox.age", "s",
        "From an event's change to the topic taking it.");

    // Counted per reconciler run, not a gauge: runs land on any instance, and a sum over a window is right whichever ran.
    private static readonly Counter<long> RefundsStuck = O2OTelemetry.Meter.CreateCounter<long>("o2o.refunds.stuck", "{refund}",
        "Open refunds decided over an hour ago, each time a refund reconciler run meets one.");
    private static readonly Counter<long> WithdrawalsStuck = O2OTelemetry.Meter.CreateCounter<long>("o2o.withdrawals.stuck", "{withdrawal}",
        "Withdrawals not final a day after they were asked for, each time a withdrawal reconciler run meets one.");

    /// <summary>The events of a change that was just committed.</summary>
    public static void Committed(Order order, IEnumerable<OrderEvent> events)
    {
        var mode = new KeyValuePair<string, object?>("o2o.mode", order.Mode.ToString().ToLowerInvariant());
        foreach (var evt in events)
        {
            switch (evt.Data)
            {
                case OrderPlaced placed:
                    Placed.Add(1, mode);
                    PlacedFen.Add(placed.TotalFen, mode);
                    break;
                case OrderPaid paid:
                    Paid.Add(1, mode);
                    PaidFen.Add(paid.AmountFen, mode);
                    break;
                case OrderCancelled cancelled:
                    Cancelled.Add(1, mode, new("o2o.refunded", cancelled.RefundFen is > 0));
                    break;
                case RefundSucceeded refund: // an order's own refund: cancelled, or paid late
                    Refunded.Add(1, mode, new("o2o.refund", "order"));
                    RefundedFen.Add(refund.AmountFen, mode, new("o2o.refund", "order"));
                    break;
                case AfterSalesStep step when evt.Type == OrderEventTypes.AfterSalesRefunded: // a case's refund has an event of its own
                    Refunded.Add(1, mode, new("o2o.refund", "after_sales"));
                    RefundedFen.Add(step.AmountFen, mode, new("o2o.refund", "after_sales"));
                    break;
            }
            if (order.Payment is not { } payment) continue;
            var sincePaid = (evt.OccurredAt - payment.PaidAt).TotalSeconds;
            if (evt.Type == OrderEventTypes.Accepted) PaidToAccepted.Record(sincePaid, mode);
            if (evt.Type is OrderEventTypes.PickedUp or OrderEventTypes.Delivered) PaidToHandedOver.Record(sincePaid, mode);
        }
    }

    public static void BookingFailed(string platform) => BookingsFailed.Add(1, new KeyValuePair<string, object?>("o2o.courier", platform));

    public static void Published(DateTimeOffset occurredAt, DateTimeOffset publishedAt) => OutboxAge.Record((publishedAt - occurredAt).TotalSeconds);

    /// <summary>A reconciler met a refund still open an hour after it was decided.</summary>
    public static void RefundStuck() => RefundsStuck.Add(1);

    /// <summary>A reconciler met a withdrawal not final a day after it was asked for.</summary>
    public static void WithdrawalStuck() => WithdrawalsStuck.Add(1);
}
