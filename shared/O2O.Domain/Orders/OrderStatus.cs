namespace O2O.Domain.Orders;

/// <summary>The order lifecycle of BRIEF.md; the names are part of the API contract.</summary>
public enum OrderStatus
{
    PendingPayment,
    Paid,
    Accepted,
    ReadyForPickup,
    PickedUp,
    Dispatching,
    CourierAssigned,
    InTransit,
    Delivered,
    Cancelled,
}

public enum FulfillmentMode
{
    Pickup,
    Delivery,
}
