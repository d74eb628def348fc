using System.Diagnostics.Metrics;
using O2O.Application.Telemetry;
using O2O.Domain.AfterSales;
using O2O.Domain.Orders;
using O2O.UnitTests.Orders;

namespace O2O.UnitTests.Telemetry;

/// <summary>What a brand watches, counted from the events of a committed change: every refund, whichever way the money went back.</summary>
public sealed class OrderMetricsTests
{
    private static readonly DateTimeOffset T = StoredOrders.Now;

    [Fact]
    public void Placed_paid_accepted_handed_over_and_both_kinds_of_refund_are_counted_in_orders_and_fen()
    {
        // One pickup of two teas, accepted 90 s after payment, collected, then one tea refunded by an after-sales case;
        // a second order cancelled after payment and refunded whole.
        var kept = Order.Place("o-1", "c-1", [new OrderLine("TEA-001", "Tea", 2, 1800)], new Fulfillment.PickupAt("S-001"), "S-001", T,
            TimeSpan.FromMinutes(15), agentCode: null, note: null, deliveryFeeFen: 0);
        kept.RecordPayment("wx-1", kept.TotalFen, T);
        kept.Accept(T.AddSeconds(90), "store:S-001");
        kept.MarkReady(T.AddSeconds(200), "store:S-001", () => new PickupRecord("123456", T.AddHours(2)));
        kept.MarkPickedUp(T.AddSeconds(300), "store:S-001");
        var asked = kept.RequestAfterSales(new AfterSalesInput("refund", [new LineInput("TEA-001", 1)], "not as described", null, []),
            "k-1", "h-1", T.AddSeconds(400), AfterSalesPolicy.Default).Value!;
        var approved = kept.ApproveAfterSales(asked.Id, T.AddSeconds(500), "store:S-001", AfterSalesPolicy.Default, headOffice: false).Value!;
        Assert.True(kept.RecordRefundStatus(approved.Refund!.OutRefundNo, RefundStatus.Succeeded, "r-1", T.AddSeconds(600)));
        var cancelled = Order.Place("o-2", "c-1", [new OrderLine("TEA-001", "Tea", 1, 1800)], new Fulfillment.PickupAt("S-001"), "S-001", T,
            TimeSpan.FromMinutes(15), agentCode: null, note: null, deliveryFeeFen: 0);
        cancelled.RecordPayment("wx-2", cancelled.TotalFen, T);
        cancelled.Cancel(T.AddSeconds(60), "consumer", "changed my mind");
        Assert.True(cancelled.RecordRefundStatus(cancelled.Refund!.OutRefundNo, RefundStatus.Succeeded, "r-2", T.AddSeconds(120)));

        var seen = Measure(() =>
        {
            OrderMetrics.Committed(kept, kept.NewEvents);
            OrderMetrics.Committed(cancelled, cancelled.NewEvents);
        });

        Assert.Equal(2, seen.Sum("o2o.orders.placed"));
        Assert.Equal(3600 + 1800, seen.Sum("o2o.orders.paid.amount"));
        Assert.Equal(1, seen.Sum("o2o.orders.cancelled"));
        Assert.Equal(2, seen.Sum("o2o.refunds.succeeded"));
        Assert.Equal(1800 + 1800, seen.Sum("o2o.refunds.succeeded.amount")); // the case's tea and the cancelled order's
        Assert.Equal([90.0], seen.Values("o2o.orders.paid_to_accepted"));
        Assert.Equal([300.0], seen.Values("o2o.orders.paid_to_handed_over"));
    }

    private sealed class Seen : List<(string Instrument, double Value)>
    {
        public double Sum(string instrument) => this.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public IReadOnlyList<double> Values(string instrument) => [.. this.Where(m => m.Instrument == instrument).Select(m => m.Value)];
    }

    /// <summary>
    /// What the app's meter records while <paramref name="act"/> runs on this thread; other tests' orders
    /// record on theirs (the listener sees every thread, so only this one's are kept).
    /// </summary>
    private static Seen Measure(Action act)
    {
        var seen = new Seen();
        var thread = Environment.CurrentManagedThreadId;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == O2OTelemetry.Name) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) =>
        {
            if (Environment.CurrentManagedThreadId == thread) seen.Add((i.Name, v));
        });
        listener.SetMeasurementEventCallback<double>((i, v, _, _) =>
        {
            if (Environment.CurrentManagedThreadId == thread) seen.Add((i.Name, v));
        });
        listener.Start();
        act();
        return seen;
    }
}
