namespace O2O.Application.Stores;

public sealed record StoreView(
    string StoreId, string Name, double Lat, double Lng, bool Pickup, bool Delivery, int DeliveryRadiusM, bool Open,
    bool AutoAccept, int PickupHoldHours, long DeliveryBaseFeeFen, long DeliveryFeePerKmFen, long FreeDeliveryAboveFen,
    IReadOnlyList<string> Couriers, int? PreparationMinutes, bool RedeliverReturns, DateTimeOffset UpdatedAt);

public sealed record StockRequest(long? OnHand);

public sealed record StockView(
    string StoreId, string Sku, int OnHand, int Reserved, int Available, int Shortfall, DateTimeOffset UpdatedAt);
