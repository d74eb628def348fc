using O2O.Domain.Common;

namespace O2O.Domain.Stores;

/// <summary>
/// An offline store that fulfils orders: by pickup, by same-city delivery within its radius, or
/// both. A store that auto-accepts takes every paid order on without a clerk; a pickup order
/// waits for its consumer for the store's hold time.
/// </summary>
public sealed record Store(
    string Id, string Name, GeoPoint Location, bool Pickup, bool Delivery, int DeliveryRadiusM, bool Open, bool AutoAccept = false,
    int PickupHoldHours = Store.DefaultPickupHoldHours)
{
    public const int MaxNameLength = 100;
    public const int DefaultPickupHoldHours = 48;
    public const int MaxPickupHoldHours = 168;

    /// <summary>Same-city couriers do not ride further than this.</summary>
    public const int MaxDeliveryRadiusM = 50_000;

    public bool Delivers(GeoPoint address) =>
        Open && Delivery && Location.DistanceMetersTo(address) <= DeliveryRadiusM;

    public static Result<Store> Create(
        string id, string? name, double? lat, double? lng, bool? pickup, bool? delivery, long? deliveryRadiusM, bool? open, bool? autoAccept = null, long? pickupHoldHours = null)
    {
        var errors = new ValidationErrors()
            .Check("storeId", id)
            .RequireText("name", name, MaxNameLength)
            .Range("lat", lat, -90, 90)
            .Range("lng", lng, -180, 180)
            .Require("pickup", pickup)
            .Require("delivery", delivery)
            .Range("deliveryRadiusM", deliveryRadiusM, 0, MaxDeliveryRadiusM)
            .Require("open", open);
        if (pickupHoldHours is < 1 or > MaxPickupHoldHours) errors.Add("pickupHoldHours", $"must be between 1 and {MaxPickupHoldHours}");
        if (delivery == true && deliveryRadiusM == 0) errors.Add("deliveryRadiusM", "must be above 0 when delivery is enabled");
        if (!errors.IsEmpty) return errors.ToError();
        return new Store(id, name!.Trim(), new GeoPoint(lat!.Value, lng!.Value), pickup!.Value, delivery!.Value,
            (int)deliveryRadiusM!.Value, open!.Value, autoAccept ?? false, (int)(pickupHoldHours ?? DefaultPickupHoldHours));
    }
}
