using O2O.Domain.Common;

namespace O2O.Domain.Stores;

/// <summary>
/// What a store charges to deliver: a base fee that covers the first kilometre, a fee for each
/// further started kilometre (straight-line distance from the store), and nothing at all for an
/// order whose items reach <see cref="FreeAboveFen"/> (0: never free).
/// </summary>
public sealed record DeliveryTariff(long BaseFen, long PerKmFen, long FreeAboveFen)
{
    public static readonly DeliveryTariff Default = new(500, 100, 0);

    public const long MaxFeeFen = 100_000;

    public long FeeFen(double distanceM, long itemsTotalFen)
    {
        if (FreeAboveFen > 0 && itemsTotalFen >= FreeAboveFen) return 0;
        var furtherKm = Math.Max(0, (long)Math.Ceiling(distanceM / 1000) - 1);
        return BaseFen + PerKmFen * furtherKm;
    }

    public static DeliveryTariff Create(long? baseFen, long? perKmFen, long? freeAboveFen, ValidationErrors errors)
    {
        if (baseFen is < 0 or > MaxFeeFen) errors.Add("deliveryBaseFeeFen", $"must be between 0 and {MaxFeeFen}");
        if (perKmFen is < 0 or > MaxFeeFen) errors.Add("deliveryFeePerKmFen", $"must be between 0 and {MaxFeeFen}");
        if (freeAboveFen is < 0 or > 100_000_000) errors.Add("freeDeliveryAboveFen", "must be between 0 and 100000000");
        return new DeliveryTariff(baseFen ?? Default.BaseFen, perKmFen ?? Default.PerKmFen, freeAboveFen ?? Default.FreeAboveFen);
    }
}
