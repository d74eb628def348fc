namespace O2O.Domain.Orders;

/// <summary>What the consumer asked for: a SKU and how many.</summary>
public sealed record CartLine(string Sku, int Quantity);

/// <summary>A priced line of an order; the name and price are copied from the catalog at checkout.</summary>
public sealed record OrderLine(string Sku, string Name, int Quantity, long UnitPriceFen)
{
    public long LineTotalFen => UnitPriceFen * Quantity;
}
