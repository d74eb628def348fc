using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Storage.Outbox;
using O2O.Application.StoreOrders;
using O2O.Application.Stores;
using O2O.Domain.Orders;

namespace O2O.Application.Operations;

/// <summary>One broken invariant: what kind, where, about what (a SKU or an order), and the numbers.</summary>
public sealed record Finding(string Kind, string StoreId, string Subject, string Detail);

/// <summary>
/// Walks a store's partitions and the orders in its queue and reports every broken invariant: a
/// SKU's reserved units differ from what its open reservations hold; units held for an order that
/// does not exist, is elsewhere, or is finished; a live order holding no units; an event left
/// unpublished; a paid order cancelled without a refund; negative stock; a slot whose count
/// differs from the reservations that hold (or used) a place in it; a refund still not
/// final an hour after it was decided. Things younger than <see cref="SettleTime"/> may be
/// mid-flight (between a change's steps) and are not judged.
/// For operators after an incident, and for the fault suite.
/// </summary>
public sealed class ConsistencyChecker(
    StoreTable stores, StockTable stock, StoreOrderTable storeOrders, OrderTable orders, RefundTable openRefunds, TimeProvider clock)
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromMinutes(5);

    /// <summary>A refund that WeChat Pay has not settled this long after it was decided needs a person.</summary>
    public static readonly TimeSpan RefundStuckAfter = Payments.RefundReconciler.StuckAfter;

    private static readonly OrderStatus[] Holding =
    [
        OrderStatus.Paid, OrderStatus.Accepted, OrderStatus.ReadyForPickup, OrderStatus.Dispatching, OrderStatus.CourierAssigned, OrderStatus.InTransit,
    ];

    public async Task<IReadOnlyList<Finding>> CheckAsync(CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        foreach (var store in await stores.ListAsync(cancellationToken))
            findings.AddRange(await CheckStoreStockAndOrdersAsync(store.RowKey, cancellationToken));
        findings.AddRange(await StuckRefundsAsync(storeId: null, cancellationToken));
        return findings;
    }

    public async Task<IReadOnlyList<Finding>> CheckStoreAsync(string storeId, CancellationToken cancellationToken) =>
        [.. await CheckStoreStockAndOrdersAsync(storeId, cancellationToken), .. await StuckRefundsAsync(storeId, cancellationToken)];

    /// <summary>Open refunds decided over <see cref="RefundStuckAfter"/> ago that are still not final (of one store's orders, or all).</summary>
    private async Task<IReadOnlyList<Finding>> StuckRefundsAsync(string? storeId, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var stuckBefore = clock.GetUtcNow() - RefundStuckAfter;
        foreach (var row in await openRefunds.ListAsync(cancellationToken))
        {
            if ((row.Since ?? row.DueAt) >= stuckBefore) continue;
            var order = RefundIds.OrderIdOf(row.RowKey) is { } orderId ? await OrderAsync(orderId, cancellationToken) : null;
            if (order?.Refunds.FirstOrDefault(r => r.OutRefundNo == row.RowKey) is not { Status: not (RefundStatus.Succeeded or RefundStatus.Closed) } refund
                || (storeId is not null && order.StoreId != storeId)) continue;
            findings.Add(new("refund_stuck", order.StoreId, order.Id,
                $"{refund.OutRefundNo}: {refund.AmountFen} fen {refund.Status} since {row.Since ?? row.DueAt:O}"));
        }
        return findings;
    }

    private async Task<IReadOnlyList<Finding>> CheckStoreStockAndOrdersAsync(string storeId, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var settled = clock.GetUtcNow() - SettleTime;
        var skus = await stock.ListAsync(storeId, cancellationToken);
        var reservations = await stock.ListReservationsAsync(storeId, cancellationToken);
        var holding = reservations.Where(r => r.State is ReservationState.Held or ReservationState.Confirmed or ReservationState.Kept).ToList();

        var heldUnits = holding.SelectMany(r => r.ParsedLines()).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        foreach (var row in skus)
        {
            if (row.Reserved != heldUnits.GetValueOrDefault(row.Sku))
                findings.Add(new("reserved_mismatch", storeId, row.Sku,
                    $"reserved {row.Reserved}, open reservations hold {heldUnits.GetValueOrDefault(row.Sku)}"));
            if (row.OnHand < 0 || row.Reserved < 0) findings.Add(new("negative_stock", storeId, row.Sku, $"onHand {row.OnHand}, reserved {row.Reserved}"));
        }
        foreach (var sku in heldUnits.Keys.Except(skus.Select(s => s.Sku)))
            findings.Add(new("units_without_stock_row", storeId, sku, $"{heldUnits[sku]} units held"));
        findings.AddRange(await SlotMismatchesAsync(storeId, reservations, cancellationToken));

        // The store's queue lists its orders from their payment on; an unpaid one is found through its reservation.
        var queued = (await storeOrders.AllAsync(storeId, cancellationToken)).ToHashSet();
        foreach (var reservation in holding.Where(r => r.CreatedAt < settled))
        {
            var stored = await StoredAsync(reservation.OrderId, cancellationToken);
            var order = stored?.Order;
            if (order is null) findings.Add(new("orphan_reservation", storeId, reservation.OrderId, $"{reservation.State} with no order"));
            else if (order.StoreId != storeId) findings.Add(new("units_held_elsewhere", storeId, order.Id, $"the order is at store {order.StoreId}"));
            else if (!Holding.Contains(order.Status) && order.Status != OrderStatus.PendingPayment)
                findings.Add(new("units_not_settled", storeId, order.Id, $"a {order.Status} order still holds a {reservation.State} reservation"));
            if (stored is not null && !queued.Contains(reservation.OrderId) && Unpublished(storeId, stored, settled) is { } finding) findings.Add(finding);
        }

        var reservationOf = reservations.ToDictionary(r => r.OrderId);
        foreach (var orderId in queued)
        {
            var stored = await StoredAsync(orderId, cancellationToken);
            if (stored is null)
            {
                findings.Add(new("queue_without_order", storeId, orderId, "the store's queue lists an order that does not exist"));
                continue;
            }
            var order = stored.Order;
            if (Unpublished(storeId, stored, settled) is { } unpublished) findings.Add(unpublished);
            if (order is { Status: OrderStatus.Cancelled, Payment: { } paid } && order.RefundedFen < paid.AmountFen)
                findings.Add(new("paid_cancel_without_refund", storeId, orderId, $"paid {paid.AmountFen} fen, refunds decided for {order.RefundedFen} fen"));
            if (order.StoreId == storeId && Holding.Contains(order.Status) && order.Timeline[^1].At < settled
                && reservationOf.GetValueOrDefault(orderId)?.State is not (ReservationState.Held or ReservationState.Confirmed or ReservationState.Kept))
                findings.Add(new("order_without_units", storeId, orderId, $"a {order.Status} order holds no units here"));
        }
        return findings;
    }

    /// <summary>A slot's count is its places held or used: every reservation for it that was not released.</summary>
    private async Task<IEnumerable<Finding>> SlotMismatchesAsync(
        string storeId, IReadOnlyList<StockTable.ReservationEntity> reservations, CancellationToken cancellationToken)
    {
        var placed = reservations.Where(r => r.Slot is not null && r.State != ReservationState.Released)
            .GroupBy(r => StockTable.SlotRowKey(r.Slot!)).ToDictionary(g => g.Key, g => g.Count());
        var rows = await stock.ListAllSlotsAsync(storeId, cancellationToken);
        return rows.Where(r => r.Taken != placed.GetValueOrDefault(r.RowKey))
            .Select(r => new Finding("slot_mismatch", storeId, r.RowKey, $"taken {r.Taken}, reservations hold {placed.GetValueOrDefault(r.RowKey)}"))
            .Concat(placed.Keys.Except(rows.Select(r => r.RowKey)).Select(key => new Finding("slot_mismatch", storeId, key, "no slot row")));
    }

    private static Finding? Unpublished(string storeId, OrderTable.StoredOrder stored, DateTimeOffset settled) =>
        stored.Outbox.FirstOrDefault(e => e.State != OutboxState.Published && e.OccurredAt < settled) is { } evt
            ? new("event_not_published", storeId, stored.Order.Id, $"{evt.EventId} ({evt.Type}) since {evt.OccurredAt:O}")
            : null;

    private async Task<OrderTable.StoredOrder?> StoredAsync(string orderId, CancellationToken cancellationToken) =>
        await orders.FindAsync(orderId, cancellationToken);

    private async Task<Order?> OrderAsync(string orderId, CancellationToken cancellationToken) => (await StoredAsync(orderId, cancellationToken))?.Order;
}
