using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <param name="Left">Places still free; 0: full (listed, so the buyer sees the store's day).</param>
public sealed record SlotView(DateTimeOffset Start, DateTimeOffset End, int Left);

public sealed record SlotsView(string StoreId, string StoreName, string Mode, IReadOnlyList<SlotView> Slots);

/// <summary>
/// The slots a buyer chooses from, with the room left in each: the store's policy laid over its
/// hours, less what its slot rows have taken (one range read in the store's partition).
/// </summary>
public sealed class SlotOffers(StoreDirectory directory, StockTable stock)
{
    /// <summary>How many slots a full-slot answer suggests instead.</summary>
    private const int Suggestions = 3;

    /// <summary>The slots of a store chosen by id, or of the nearest store for the cart at a place (the same rule as routing).</summary>
    public async Task<Result<SlotsView>> FindAsync(string? mode, string? storeId, double? lat, double? lng, IReadOnlyList<string> skus,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (mode is not ("pickup" or "delivery")) errors.Add("mode", "must be 'pickup' or 'delivery'");
        if (storeId is not null) errors.Check("storeId", storeId);
        else errors.Range("lat", lat, -90, 90).Range("lng", lng, -180, 180);
        if (storeId is not null && mode == "delivery") errors.Add("storeId", "delivery windows are found by the address: give lat and lng");
        if (skus.Count > Cart.MaxLines) errors.Add("sku", $"at most {Cart.MaxLines} SKUs");
        foreach (var sku in skus) errors.Check("sku", sku);
        if (!errors.IsEmpty) return errors.ToError();

        var fulfillment = mode == "delivery" ? FulfillmentMode.Delivery : FulfillmentMode.Pickup;
        var point = storeId is null ? new GeoPoint(lat!.Value, lng!.Value) : (GeoPoint?)null;
        var store = await directory.SlotStoreAsync(fulfillment, storeId, point, skus, cancellationToken);
        if (store is null)
            return storeId is not null
                ? Error.NotFound($"There is no store '{storeId}' offering pickup.")
                : new Error(ErrorCodes.NoStoreAvailable, $"No store within reach offers {mode} slots for these items.");
        return new SlotsView(store.Id, store.Name, mode!, await ForStoreAsync(store, fulfillment, cancellationToken));
    }

    /// <summary>Every slot the store offers now with its room; none when it has no policy for the mode.</summary>
    public async Task<IReadOnlyList<SlotView>> ForStoreAsync(Store store, FulfillmentMode mode, CancellationToken cancellationToken)
    {
        var offered = directory.OfferedSlots(store, mode);
        if (offered.Count == 0) return [];
        var capacity = store.Slots!.For(mode)!.Capacity;
        var taken = (await stock.ListSlotsAsync(store.Id, offered[0].Key(mode), mode.ToString().ToLowerInvariant(), cancellationToken))
            .ToDictionary(r => r.RowKey, r => r.Taken, StringComparer.Ordinal);
        return [.. offered.Select(s => new SlotView(s.Start, s.End, Math.Max(0, capacity - taken.GetValueOrDefault(StockTable.SlotRowKey(s.Key(mode))))))];
    }

    /// <summary>The answer to a checkout for a full slot: which slots after it still have room.</summary>
    public async Task<Error> FullAsync(Store store, FulfillmentMode mode, Slot full, CancellationToken cancellationToken)
    {
        var next = (await ForStoreAsync(store, mode, cancellationToken)).Where(s => s.Left > 0 && s.Start > full.Start).Take(Suggestions).ToList();
        return new Error(ErrorCodes.SlotFull, $"The slot starting at {StoreHoursNow.Stamp(full.Start)} is full; "
            + (next.Count == 0 ? "no later slot has room." : "slots with room: " + string.Join(", ", next.Select(s => StoreHoursNow.Stamp(s.Start))) + "."));
    }
}
