using O2O.Domain.Common;

namespace O2O.Domain.Stores;

/// <summary>
/// One SKU's stock at one store. <see cref="Reserved"/> units belong to open orders and are still
/// on the shelf, so they are part of <see cref="OnHand"/>. A store that marks a SKU sold out
/// (the shelf is empty or the machine broke, whatever the count says) sells none of it.
/// </summary>
public sealed record StockLevel(string StoreId, string Sku, int OnHand, int Reserved, bool SoldOut = false)
{
    public const int MaxOnHand = 1_000_000;
    public const int MaxReasonLength = 200;

    public int Available => SoldOut ? 0 : Math.Max(0, OnHand - Reserved);

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

    /// <summary>An order holds <paramref name="quantity"/> more units; they stay on the shelf.</summary>
    public StockLevel Reserve(int quantity) => this with { Reserved = Reserved + quantity };

    /// <summary>An order gives its units back to available (cancelled, rerouted, expired).</summary>
    public StockLevel Release(int quantity) => this with { Reserved = Math.Max(0, Reserved - quantity) };

    /// <summary>An order's units left the store (picked up, delivered): off the shelf and out of the reservations.</summary>
    public StockLevel Consume(int quantity) => this with { OnHand = Math.Max(0, OnHand - quantity), Reserved = Math.Max(0, Reserved - quantity) };

    /// <summary>Returned units the store puts back on sale.</summary>
    public StockLevel Restock(int quantity) => this with { OnHand = Math.Min(MaxOnHand, OnHand + quantity) };

    /// <summary>A clerk's correction of the count (a breakage, a delivery, a recount), which must say why and may not take the count below zero.</summary>
    public Result<int> Adjusted(long? delta, string? reason)
    {
        var errors = new ValidationErrors().Range("delta", delta, -MaxOnHand, MaxOnHand);
        if (delta == 0) errors.Add("delta", "must not be 0");
        errors.RequireText("reason", reason, MaxReasonLength);
        if (errors.IsEmpty && OnHand + delta!.Value is < 0 or > MaxOnHand)
            errors.Add("delta", $"would take onHand from {OnHand} to {OnHand + delta.Value}; it must stay between 0 and {MaxOnHand}");
        return errors.IsEmpty ? (int)(OnHand + delta!.Value) : errors.ToError();
    }
}
