namespace O2O.Application.Catalog;

public sealed record SkuRequest(string? Name, long? PriceFen, bool? Active, int? CommissionBps = null);

public sealed record SkuView(string Sku, string Name, long PriceFen, bool Active, DateTimeOffset UpdatedAt, int? CommissionBps = null);
