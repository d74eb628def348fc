using O2O.Domain.Stores;

namespace O2O.Domain.Orders;

/// <summary>How the consumer gets the goods, which decides the candidate stores.</summary>
public abstract record Fulfillment(FulfillmentMode Mode)
{
    /// <summary>Pickup at the store the consumer chose.</summary>
    public sealed record PickupAt(string StoreId) : Fulfillment(FulfillmentMode.Pickup);

    /// <summary>Pickup at the nearest open store that has everything.</summary>
    public sealed record PickupNear(GeoPoint Position) : Fulfillment(FulfillmentMode.Pickup);

    public sealed record Delivery(DeliveryAddress Address, Contact Contact) : Fulfillment(FulfillmentMode.Delivery);
}

public sealed record DeliveryAddress(string Line, string City, GeoPoint Location);

public sealed record Contact(string Name, string Phone);
