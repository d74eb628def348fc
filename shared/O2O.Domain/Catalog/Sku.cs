using O2O.Domain.Common;

namespace O2O.Domain.Catalog;

/// <summary>
/// A sellable item; its price is the only price an order ever uses (clients' prices are ignored).
/// <see cref="CommissionBps"/>, when set, is the agents' level-1 rate on it, before any tier's or the global one.
/// </summary>
public sealed record Sku(string Id, string Name, long PriceFen, bool Active, int? CommissionBps = null)
{
    public const int MaxNameLength = 100;

    /// <summary>¥1,000,000: anything dearer is a typo in fen, not a tea.</summary>
    public const long MaxPriceFen = 100_000_000;

    public static Result<Sku> Create(string id, string? name, long? priceFen, bool? active, int? commissionBps = null)
    {
        var errors = new ValidationErrors()
            .Check("sku", id)
            .RequireText("name", name, MaxNameLength)
            .Range("priceFen", priceFen, 0, MaxPriceFen)
            .Require("active", active);
        if (commissionBps is not null) errors.Range("commissionBps", commissionBps, 0, 10_000);
        if (!errors.IsEmpty) return errors.ToError();
        return new Sku(id, name!.Trim(), priceFen!.Value, active!.Value, commissionBps);
    }
}
