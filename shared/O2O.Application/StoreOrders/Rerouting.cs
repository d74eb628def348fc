using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Dispatch;
using O2O.Application.Orders;
using O2O.Application.Payments;
using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.StoreOrders;

/// <summary>
/// Sends an order its store gives back (a clerk rejects it, or nobody accepts it in time) to the
/// nearest other store that serves its mode, has every line in stock (and room in the order's
/// slot, for an order for a slot) and has not given it back before; with none left it is cancelled and refunded. Three steps, each safe to crash after:
/// reserve at the next store (the sweeper releases that reservation if the order never moves
/// there), move the order with its event (one transaction), release the first store's units (the
/// sweeper releases them if this is lost, since the order is no longer at that store).
/// </summary>
public sealed partial class Rerouting(
    OrderTable orders,
    OrderChanges changes,
    StoreTable storeTable,
    StoreDirectory stores,
    StockReservations reservations,
    StoreOrderTable storeOrders,
    RefundQueue refunds,
    DispatchQueue dispatches,
    IOptions<OrderSettings> settings,
    TimeProvider clock,
    ILogger<Rerouting> logger)
{
    public const int MaxReasonLength = 200;

    private TimeSpan AcceptWithin => TimeSpan.FromMinutes(settings.Value.AcceptWithinMinutes);

    /// <summary>A clerk gives the order back. Rejecting it again answers the order as it now is.</summary>
    public async Task<Result<OrderView>> RejectAsync(string storeId, string orderId, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
            return Error.Validation("reason", $"is required: 1 to {MaxReasonLength} characters saying why the store cannot serve the order");
        var rerouted = await RerouteAsync(storeId, orderId, $"store:{storeId}", reason.Trim(), _ => true, cancellationToken);
        return rerouted.IsSuccess ? OrderView.ForStore(rerouted.Value) : rerouted.Error;
    }

    /// <summary>Routes on every paid order that has waited longer than the acceptance limit, store by store.</summary>
    public async Task<int> RerouteUnacceptedAsync(CancellationToken cancellationToken)
    {
        var rerouted = 0;
        foreach (var store in await storeTable.ListAsync(cancellationToken))
            rerouted += await RerouteUnacceptedAsync(store.RowKey, cancellationToken);
        return rerouted;
    }

    public async Task<int> RerouteUnacceptedAsync(string storeId, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() - AcceptWithin;
        var reason = $"not accepted within {settings.Value.AcceptWithinMinutes} minutes";
        var rerouted = 0;
        foreach (var orderId in await storeOrders.AwaitingAcceptanceAsync(storeId, deadline, cancellationToken))
        {
            try
            {
                // The index may lag behind the order: the order itself decides whether it is still waiting.
                var moved = await RerouteAsync(storeId, orderId, "system", reason,
                    order => order.AwaitingAcceptanceSince <= deadline, cancellationToken);
                if (moved.IsSuccess && moved.Value.RejectedBy.Contains(storeId)) rerouted++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One order that cannot move now must not hold up the rest; the next run tries it again.
                LogRerouteFailed(logger, e, orderId, storeId);
            }
        }
        return rerouted;
    }

    private async Task<Result<Order>> RerouteAsync(
        string storeId, string orderId, string by, string reason, Func<Order, bool> due, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        if (stored is null) return NotFound(orderId);
        var order = stored.Order;
        if (order.RejectedBy.Contains(storeId)) return order;
        if (order.StoreId != storeId) return NotFound(orderId);
        if (order.Status is not (OrderStatus.Paid or OrderStatus.Accepted))
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {order.Status} cannot be rejected.");
        if (!due(order)) return order;

        var next = await ReserveNextAsync(order, stored.RequestHash, cancellationToken);
        if (!next.IsSuccess) return next.Error;
        var nextStoreId = next.Value;
        var autoAcceptance = await stores.AutoAcceptanceAsync(cancellationToken);
        var moved = await changes.ApplyAsync(orderId, o =>
        {
            if (o.RejectedBy.Contains(storeId) || !due(o)) return o; // another request moved it, or the store accepted meanwhile
            if (o.StoreId != storeId) return NotFound(orderId);
            var now = clock.GetUtcNow();
            var rejected = o.Reject(now, by, reason, nextStoreId);
            if (rejected.IsSuccess) autoAcceptance.Apply(o, now);
            return rejected;
        }, cancellationToken);

        var movedThere = moved.IsSuccess && nextStoreId is not null && moved.Value.StoreId == nextStoreId;
        if (nextStoreId is not null && !movedThere) await reservations.ReleaseAsync(nextStoreId, orderId, cancellationToken);
        if (!moved.IsSuccess || !moved.Value.RejectedBy.Contains(storeId)) return moved;

        if (movedThere)
            await reservations.AdvanceAsync(nextStoreId!, orderId, ReservationState.Held, ReservationState.Confirmed, cancellationToken);
        await reservations.ReleaseAsync(storeId, orderId, cancellationToken);
        if (moved.Value.Refund is { Status: RefundStatus.Pending } refund) await refunds.RequestAsync(refund.OutRefundNo, cancellationToken);
        await dispatches.RequestIfDispatchingAsync(moved.Value, cancellationToken); // auto-accepted by a store that dispatches on accept
        LogRerouted(logger, orderId, storeId, nextStoreId ?? "(none: cancelled)", reason);
        return moved;
    }

    /// <summary>Reserves the order's lines at the nearest store that can take it; null when no store can.</summary>
    private async Task<Result<string?>> ReserveNextAsync(Order order, string requestHash, CancellationToken cancellationToken)
    {
        var lines = order.Lines.Select(l => new CartLine(l.Sku, l.Quantity)).ToList();
        var excluded = order.RejectedBy.Append(order.StoreId).ToHashSet();
        var alternatives = await stores.AlternativesAsync(order.Fulfillment, [.. order.Lines.Select(l => l.Sku)], excluded, order.Promise?.Slot,
            cancellationToken);
        foreach (var (store, slot) in alternatives)
        {
            // A store whose copy of the slot is full is passed by like one short of stock.
            var (outcome, _) = await reservations.ReserveAsync(store.Id, order.Id, requestHash, lines, order.PayBy - order.CreatedAt, cancellationToken, slot);
            switch (outcome)
            {
                case ReservationOutcome.Reserved or ReservationOutcome.AlreadyHeld: // held: a concurrent rejection of this order reserved it
                    return store.Id;
                case ReservationOutcome.Contended:
                    return new Error(ErrorCodes.ServiceUnavailable, "Many buyers are ordering at the next store right now; retry the rejection.");
            }
        }
        return (string?)null;
    }

    private static Error NotFound(string orderId) => Error.NotFound($"Store has no order '{orderId}'.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} left store {StoreId} for {NextStoreId}: {Reason}")]
    private static partial void LogRerouted(ILogger logger, string orderId, string storeId, string nextStoreId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not route order {OrderId} away from store {StoreId}")]
    private static partial void LogRerouteFailed(ILogger logger, Exception exception, string orderId, string storeId);
}
