using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Domain.Stores;

/// <summary>
/// An offline store that fulfils orders: by pickup, by same-city delivery within its radius, or
/// both. A store that auto-accepts takes every paid order on without a clerk; a pickup order
/// waits for its consumer for the store's hold time; a delivery order is priced by the store's
/// tariff and booked with its courier platforms in the store's order of preference. It takes
/// orders while its switch is on (<see cref="Open"/>) and, when it has them, within its hours.
/// </summary>
public sealed record Store(
    string Id, string Name, GeoPoint Location, bool Pickup, bool Delivery, int DeliveryRadiusM, bool Open, bool AutoAccept,
    int PickupHoldHours, DeliveryTariff Tariff, IReadOnlyList<string> Couriers, int? PreparationMinutes = null, bool RedeliverReturns = false,
    OpeningHours? Hours = null, StoreSlots? Slots = null)
{
    /// <summary>Whether the store takes an order of <paramref name="mode"/> now: its switch, then its hours (none: always).</summary>
    public StoreHoursNow TakesOrders(DateTimeOffset now, TimeZoneInfo zone, FulfillmentMode mode) =>
        !Open ? new StoreHoursNow(false, StoreHoursNow.Closed, null, null)
        : Hours?.At(now, zone, mode) ?? StoreHoursNow.Always;

    /// <summary>
    /// The slots of <paramref name="mode"/> the store offers at <paramref name="now"/>; none while its switch is off or it has no
    /// policy. An order routed here from another store (<paramref name="rerouting"/>) may take a slot inside the lead time.
    /// </summary>
    public IReadOnlyList<Slot> OfferedSlots(DateTimeOffset now, TimeZoneInfo zone, FulfillmentMode mode, bool rerouting = false) =>
        Open && Slots?.For(mode) is { } policy ? (rerouting ? policy with { LeadMinutes = 0 } : policy).Offered(now, zone, Hours) : [];

    public const int MaxPreparationMinutes = 240;

    /// <summary>When a delivery accepted now will be ready, for a store that dispatches on accept; null when it dispatches once ready.</summary>
    public DateTimeOffset? ReadyBy(DateTimeOffset acceptedAt) => PreparationMinutes is { } minutes ? acceptedAt.AddMinutes(minutes) : null;

    public const int MaxNameLength = 100;
    public const int DefaultPickupHoldHours = 48;
    public const int MaxPickupHoldHours = 168;

    /// <summary>Same-city couriers do not ride further than this.</summary>
    public const int MaxDeliveryRadiusM = 50_000;

    /// <summary>Whether the address is within the store's delivery reach (taking orders now is <see cref="TakesOrders"/>).</summary>
    public bool Delivers(GeoPoint address) => Delivery && Location.DistanceMetersTo(address) <= DeliveryRadiusM;

    public static Result<Store> Create(string id, StoreInput input)
    {
        var errors = new ValidationErrors()
            .Check("storeId", id)
            .RequireText("name", input.Name, MaxNameLength)
            .Range("lat", input.Lat, -90, 90)
            .Range("lng", input.Lng, -180, 180)
            .Require("pickup", input.Pickup)
            .Require("delivery", input.Delivery)
            .Range("deliveryRadiusM", input.DeliveryRadiusM, 0, MaxDeliveryRadiusM)
            .Require("open", input.Open);
        if (input.PickupHoldHours is < 1 or > MaxPickupHoldHours) errors.Add("pickupHoldHours", $"must be between 1 and {MaxPickupHoldHours}");
        if (input.PreparationMinutes is < 0 or > MaxPreparationMinutes)
            errors.Add("preparationMinutes", $"must be between 0 and {MaxPreparationMinutes}, or left out to dispatch once an order is ready");
        if (input.Delivery == true && input.DeliveryRadiusM == 0) errors.Add("deliveryRadiusM", "must be above 0 when delivery is enabled");
        var tariff = DeliveryTariff.Create(input.DeliveryBaseFeeFen, input.DeliveryFeePerKmFen, input.FreeDeliveryAboveFen, errors);
        var hours = OpeningHours.Create(input.Hours, errors);
        var slots = StoreSlots.Create(input.Slots, errors);
        if (slots?.Pickup is not null && input.Pickup == false) errors.Add("slots.pickup", "needs pickup enabled");
        if (slots?.Delivery is not null && input.Delivery == false) errors.Add("slots.delivery", "needs delivery enabled");
        var couriers = input.Couriers ?? CourierProviders.All;
        if (couriers.Count == 0 || couriers.Any(c => !CourierProviders.All.Contains(c)) || couriers.Distinct().Count() != couriers.Count)
            errors.Add("couriers", $"must list one or more of {string.Join(", ", CourierProviders.All)}, each once, preferred first");
        if (!errors.IsEmpty) return errors.ToError();
        return new Store(id, input.Name!.Trim(), new GeoPoint(input.Lat!.Value, input.Lng!.Value), input.Pickup!.Value, input.Delivery!.Value,
            (int)input.DeliveryRadiusM!.Value, input.Open!.Value, input.AutoAccept ?? false, (int)(input.PickupHoldHours ?? DefaultPickupHoldHours),
            tariff, couriers.ToList(), (int?)input.PreparationMinutes, input.RedeliverReturns ?? false, hours, slots);
    }
}

/// <summary>A store as the operator sends it; optional fields take their defaults.</summary>
public sealed record StoreInput(
    string? Name, double? Lat, double? Lng, bool? Pickup, bool? Delivery, long? DeliveryRadiusM, bool? Open,
    bool? AutoAccept = null, long? PickupHoldHours = null,
    long? DeliveryBaseFeeFen = null, long? DeliveryFeePerKmFen = null, long? FreeDeliveryAboveFen = null,
    IReadOnlyList<string>? Couriers = null, long? PreparationMinutes = null, bool? RedeliverReturns = null, OpeningHoursInput? Hours = null,
    SlotsInput? Slots = null);

/// <summary>The same-city courier platforms the backend can book, by the names their webhooks are routed by.</summary>
public static class CourierProviders
{
    public const string Dada = "dada";
    public const string Meituan = "meituan";
    public const string Sf = "sf";

    public static readonly IReadOnlyList<string> All = [Dada, Meituan, Sf];
}
