namespace O2O.Domain.Orders;

// A checkout request as parsed from JSON, before validation: every field may be missing.

public sealed record CartInput(IReadOnlyList<LineInput?>? Items, FulfillmentInput? Fulfillment, string? AgentCode, string? Note, string? ShareCode = null);

public sealed record LineInput(string? Sku, long? Quantity);

/// <param name="Slot">
/// The start of the pickup slot or delivery window chosen, with its offset ("2026-12-08T10:00:00+08:00"); missing or "asap": as soon as possible.
/// </param>
public sealed record FulfillmentInput(string? Mode, string? StoreId, PointInput? Near, AddressInput? Address, ContactInput? Contact, string? Slot = null);

public sealed record PointInput(double? Lat, double? Lng);

public sealed record AddressInput(string? Line, string? City, double? Lat, double? Lng);

public sealed record ContactInput(string? Name, string? Phone);
