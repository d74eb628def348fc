namespace O2O.Application.Stores;

public sealed record StoreView(
    string StoreId, string Name, double Lat, double Lng, bool Pickup, bool Delivery, int DeliveryRadiusM, bool Open,
    bool AutoAccept, int PickupHoldHours, long DeliveryBaseFeeFen, long DeliveryFeePerKmFen, long FreeDeliveryAboveFen,
    IReadOnlyList<string> Couriers, int? PreparationMinutes, bool RedeliverReturns, O2O.Domain.Stores.OpeningHoursInput? Hours,
    O2O.Domain.Stores.SlotsInput? Slots, DateTimeOffset UpdatedAt);

/// <summary>What the store's own clerks see of it: its name, and whether each of its modes takes orders now.</summary>
public sealed record StoreProfileView(string StoreId, string Name, IReadOnlyList<ModeHoursView> Modes);

/// <summary>One mode's answer now (<see cref="O2O.Domain.Stores.StoreHoursNow"/>): until when, or why not and from when.</summary>
public sealed record ModeHoursView(string Mode, bool Taking, string? ClosedReason, DateTimeOffset? OrderBefore, DateTimeOffset? OpensAt, string? Note);

public sealed record StockRequest(long? OnHand);

/// <param name="Name">The SKU's catalog name, where the listing looked it up.</param>
public sealed record StockView(
    string StoreId, string Sku, string? Name, int OnHand, int Reserved, int Available, int Shortfall, bool SoldOut, DateTimeOffset UpdatedAt, int Damaged);

public sealed record StockAdjustmentRequest(long? Delta, string? Reason);

public sealed record SoldOutRequest(bool? SoldOut);
