using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Orders;

/// <summary>The stored shape of an order's fulfillment (a flat record; the domain type is a closed hierarchy).</summary>
public sealed record FulfillmentDocument(
    string Mode, string? StoreId, double? Lat, double? Lng, string? AddressLine, string? City, string? ContactName, string? ContactPhone)
{
    public static FulfillmentDocument From(Fulfillment fulfillment) => fulfillment switch
    {
        Fulfillment.PickupAt at => new("pickup", at.StoreId, null, null, null, null, null, null),
        Fulfillment.PickupNear near => new("pickup", null, near.Position.Lat, near.Position.Lng, null, null, null, null),
        Fulfillment.Delivery d => new("delivery", null, d.Address.Location.Lat, d.Address.Location.Lng, d.Address.Line, d.Address.City,
            d.Contact.Name, d.Contact.Phone),
        _ => throw new ArgumentOutOfRangeException(nameof(fulfillment)),
    };

    public Fulfillment ToFulfillment() => Mode switch
    {
        "delivery" => new Fulfillment.Delivery(new DeliveryAddress(AddressLine!, City!, new GeoPoint(Lat!.Value, Lng!.Value)),
            new Contact(ContactName!, ContactPhone!)),
        _ when StoreId is not null => new Fulfillment.PickupAt(StoreId),
        _ => new Fulfillment.PickupNear(new GeoPoint(Lat!.Value, Lng!.Value)),
    };
}
