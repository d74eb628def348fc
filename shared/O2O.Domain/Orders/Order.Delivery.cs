using O2O.Domain.Common;
using O2O.Domain.Dispatch;

namespace O2O.Domain.Orders;

/// <summary>
/// The delivery sub-lifecycle of an order: booking a courier platform (one at a time, each under
/// its own delivery id), abandoning it for the next, and applying the platform's updates.
/// </summary>
public sealed partial class Order
{
    /// <summary>
    /// Names the platform about to be asked for a rider, under a new delivery id; written before
    /// the platform is called, so a retry asks the same platform under the same id.
    /// </summary>
    public Result<Order> BeginBooking(string provider, DateTimeOffset at)
    {
        if (Status != OrderStatus.Dispatching || Delivery is null)
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} is not waiting for a courier.");
        if (Delivery.Provider is not null) return new Error(ErrorCodes.Conflict, $"Order {Id} is already booked with {Delivery.Provider}.");
        Delivery = Delivery with
        {
            Attempt = Delivery.Attempt + 1,
            Provider = provider,
            CourierOrderId = null,
            Status = CourierStatus.Waiting,
            BookedAt = at,
            RiderName = null,
            RiderPhone = null,
            RiderLat = null,
            RiderLng = null,
        };
        Changed = true;
        return this;
    }

    /// <summary>The platform took the booking under its own id.</summary>
    public Result<Order> RecordBooking(string provider, string courierOrderId)
    {
        if (Delivery?.Provider != provider || Status is not (OrderStatus.Dispatching or OrderStatus.CourierAssigned or OrderStatus.InTransit))
            return new Error(ErrorCodes.Conflict, $"Order {Id} is no longer being booked with {provider}.");
        if (Delivery.CourierOrderId != courierOrderId)
        {
            Delivery = Delivery with { CourierOrderId = courierOrderId };
            Changed = true;
        }
        return this;
    }

    /// <summary>
    /// Gives up the current platform (it failed, cancelled, or found no rider in time); it is not
    /// asked again for this order. An order that had a rider goes back to dispatch.
    /// </summary>
    public void AbandonBooking(string provider, string reason, DateTimeOffset at)
    {
        if (Delivery?.Provider != provider || Status is not (OrderStatus.Dispatching or OrderStatus.CourierAssigned)) return;
        Delivery = Delivery with
        {
            Provider = null,
            CourierOrderId = null,
            Status = CourierStatus.Waiting,
            BookedAt = null,
            Tried = [.. Delivery.Tried, provider],
            RiderName = null,
            RiderPhone = null,
            RiderLat = null,
            RiderLng = null,
        };
        Changed = true;
        if (Status == OrderStatus.CourierAssigned)
            MoveTo(OrderStatus.Dispatching, at, $"courier:{provider}", OrderEventTypes.Dispatched, new Redispatched(Id, StoreId, reason), note: reason);
    }

    /// <summary>Every platform of the store was tried: raised once, and the store sees the order flagged.</summary>
    public void FlagUndispatchable(DateTimeOffset at)
    {
        if (Delivery is null || Delivery.Flagged || Status != OrderStatus.Dispatching) return;
        Delivery = Delivery with { Flagged = true };
        Raise(OrderEventTypes.DispatchFailed, at, new DispatchFailed(Id, StoreId, Delivery.Tried));
    }

    /// <summary>
    /// Applies a courier webhook of the current booking. Duplicates and updates older than what
    /// the order has change nothing; skipped states are fine; the same state with another rider
    /// is a reassignment and updates the rider.
    /// </summary>
    /// <param name="redeliver">The store delivers returned goods once more rather than refunding at once.</param>
    public CourierEffect ApplyCourierUpdate(CourierUpdate update, DateTimeOffset now, bool redeliver = false)
    {
        var before = Delivery;
        var effect = ApplyCourierUpdateToBooking(update, now, redeliver);
        if (Delivery is not null && Delivery != before) Delivery = Delivery with { HeardAt = now };
        return effect;
    }

    /// <summary>The platform was asked about the current booking and had nothing new: the silence starts again.</summary>
    public void NoteCourierAsked(string provider, DateTimeOffset at)
    {
        if (Delivery?.Provider != provider) return;
        Delivery = Delivery with { HeardAt = at };
        Changed = true;
    }

    /// <summary>Whether <paramref name="deliveryId"/> names one of the bookings the order has had, the current one or an earlier attempt.</summary>
    public bool HadDelivery(string deliveryId) =>
        Delivery is { } delivery && Enumerable.Range(1, delivery.Attempt).Any(n => DeliveryIds.For(Id, n) == deliveryId);

    /// <summary>Whether <paramref name="deliveryId"/> at <paramref name="provider"/> is the order's current booking and the order still waits on it.</summary>
    public bool IsLiveDelivery(string provider, string deliveryId) =>
        Delivery is { Provider: not null } delivery && delivery.Provider == provider && delivery.DeliveryId(Id) == deliveryId
        && Status is not (OrderStatus.Delivered or OrderStatus.Cancelled);

    private CourierEffect ApplyCourierUpdateToBooking(CourierUpdate update, DateTimeOffset now, bool redeliver)
    {
        if (!IsLiveDelivery(update.Provider, update.DeliveryId)) return CourierEffect.None;
        var delivery = Delivery!;
        var by = $"courier:{update.Provider}";
        var rider = delivery with
        {
            CourierOrderId = delivery.CourierOrderId ?? update.CourierOrderId,
            RiderName = update.RiderName ?? delivery.RiderName,
            RiderPhone = DeliveryIds.MaskPhone(update.RiderPhone) ?? delivery.RiderPhone,
            RiderLat = update.RiderLat ?? delivery.RiderLat,
            RiderLng = update.RiderLng ?? delivery.RiderLng,
        };
        var failed = delivery.Status is CourierStatus.Returning or CourierStatus.Returned;
        switch (update.Status)
        {
            case CourierStatus.Cancelled when Status == OrderStatus.InTransit:
            case CourierStatus.Returning:
                if (failed) return UpdateRider(rider);
                Delivery = rider with { Status = CourierStatus.Returning };
                Raise(OrderEventTypes.DeliveryReturning, now, new DeliveryReturning(Id, StoreId, update.Provider, update.Reason));
                return CourierEffect.Changed;
            case CourierStatus.Cancelled:
                AbandonBooking(update.Provider, $"{update.Provider} cancelled: {update.Reason ?? "no reason given"}", now);
                return CourierEffect.Redispatch;
            case CourierStatus.Returned when redeliver && !delivery.Redelivered:
                // Back at the store, out again: a new booking with every platform available again.
                Delivery = DeliveryRecord.New with { Attempt = delivery.Attempt, Redelivered = true };
                MoveTo(OrderStatus.Dispatching, now, by, OrderEventTypes.Dispatched, new Redispatched(Id, StoreId, "returned; delivering again"),
                    note: $"returned to the store ({update.Reason ?? "undeliverable"}); delivering again");
                return CourierEffect.Redispatch;
            case CourierStatus.Returned:
                Delivery = rider with { Status = CourierStatus.Returned };
                CancelReason = "undeliverable: returned to the store";
                if (Payment is not null) Refund = RemainderRefund(Payment.AmountFen);
                MoveTo(OrderStatus.Cancelled, now, by, OrderEventTypes.Cancelled,
                    new OrderCancelled(Id, StoreId, CancelReason, Refund?.AmountFen), note: update.Reason);
                return CourierEffect.Returned;
        }
        if (failed || update.Status < delivery.Status) return CourierEffect.None; // late: the order is further along
        if (update.Status == delivery.Status) return UpdateRider(rider);
        Delivery = rider with { Status = update.Status };
        Changed = true;
        var data = new CourierProgress(Id, StoreId, update.Provider, Delivery.RiderName);
        switch (update.Status)
        {
            case CourierStatus.Assigned or CourierStatus.AtStore when Status == OrderStatus.Dispatching:
                MoveTo(OrderStatus.CourierAssigned, now, by, OrderEventTypes.CourierAssigned, data);
                break;
            case CourierStatus.InTransit:
                MoveTo(OrderStatus.InTransit, now, by, OrderEventTypes.InTransit, data);
                break;
            case CourierStatus.Delivered:
                MoveTo(OrderStatus.Delivered, now, by, OrderEventTypes.Delivered, data);
                return CourierEffect.Delivered;
        }
        return CourierEffect.Changed;
    }

    private CourierEffect UpdateRider(DeliveryRecord rider)
    {
        if (rider == Delivery) return CourierEffect.None;
        Delivery = rider;
        Changed = true;
        return CourierEffect.Changed;
    }
}
