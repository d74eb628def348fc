namespace O2O.Domain.Orders;

/// <summary>
/// What the consumer's pickup QR code encodes: the store and the code, nothing about the order.
/// A clerk may scan it or type the six digits; verification accepts either, at that store only.
/// </summary>
public static class PickupQr
{
    private const string Prefix = "o2o-pickup:";

    public static string Payload(string storeId, string code) => $"{Prefix}{storeId}:{code}";

    /// <summary>The store a scanned payload belongs to; null when the input is not a payload.</summary>
    public static string? StoreOf(string? input) =>
        input is not null && input.StartsWith(Prefix, StringComparison.Ordinal) && input[Prefix.Length..].Split(':') is [var store, _] ? store : null;

    /// <summary>The six digits of a scanned payload of this store (null for another store's), or the input itself when it is not a payload.</summary>
    public static string? CodeOf(string? input, string storeId)
    {
        if (input is null || !input.StartsWith(Prefix, StringComparison.Ordinal)) return input;
        var ofStore = Payload(storeId, "");
        return input.StartsWith(ofStore, StringComparison.Ordinal) ? input[ofStore.Length..] : null;
    }
}
