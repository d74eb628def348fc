using O2O.Domain.Common;

namespace O2O.Domain.Stores;

/// <summary>
/// One SKU's stock at one store. <see cref="Reserved"/> units belong to open orders and are still
/// on the shelf, so they are part of <see cref="OnHand"/>.
/// </summary>
public sealed record StockLevel(string StoreId, string Sku, int OnHand, int Reserved)
{
    public const int MaxOnHand = 1_000_000;

    public int Available => Math.Max(0, OnHand - Reserved);

    /// <summary>
    /// Units promised to open orders beyond what a recount found; an operator must resolve them.
    /// A recount below the reservations is accepted because refusing it would keep a wrong number.
    /// </summary>
    public int Shortfall => Math.Max(0, Reserved - OnHand);

    public static Result<int> ValidOnHand(long? onHand)
    {
        var errors = new ValidationErrors().Range("onHand", onHand, 0, MaxOnHand);
        return errors.IsEmpty ? (int)onHand!.Value : errors.ToError();
    }

    public StockLevel WithOnHand(int onHand) => this with { OnHand = onHand };
}
