using System.Globalization;

namespace O2O.Domain.Orders;

/// <summary>
/// What WeChat's upload_shipping_info is told of a fulfilled order, as a pure function of the
/// order, so a retry or a redelivery sends the very same body: how it was fulfilled (4, 用户自提,
/// once handed over at the counter; 2, 同城配送, once a rider took it), when (the upload_time:
/// the step's own time, not the time of the call), and what (item_desc from the units handed over:
/// a unit refunded in the store before hand-over never left it, and is not named).
/// An order that was never fulfilled (cancelled, or every unit refunded first) has none.
/// </summary>
public sealed record ShippingInfo(int LogisticsType, DateTimeOffset FulfilledAt, string ItemDesc)
{
    public const int CityDelivery = 2;
    public const int BuyerPickup = 4;

    /// <summary>WeChat's limit on item_desc.</summary>
    public const int MaxItemDescLength = 120;

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static ShippingInfo? Of(Order order)
    {
        var fulfilled = order.Mode == FulfillmentMode.Pickup
            ? order.Timeline.FirstOrDefault(t => t.Status == OrderStatus.PickedUp)
            : order.Timeline.FirstOrDefault(t => t.Status is OrderStatus.CourierAssigned or OrderStatus.InTransit or OrderStatus.Delivered);
        if (fulfilled is null || order.Payment is null) return null;
        return new ShippingInfo(order.Mode == FulfillmentMode.Pickup ? BuyerPickup : CityDelivery, fulfilled.At, ItemDescOf(order.LinesToHandOver));
    }

    /// <summary>"Jasmine milk tea×2、Mango cake×1", cut to WeChat's 120 characters with an ellipsis.</summary>
    public static string ItemDescOf(IEnumerable<OrderLine> lines)
    {
        var text = string.Join("、", lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Name}×{l.Quantity}")));
        return text.Length <= MaxItemDescLength ? text : text[..(MaxItemDescLength - 1)] + "…";
    }

    /// <summary>RFC 3339 with milliseconds and the +08:00 offset WeChat's examples use.</summary>
    public string UploadTime => FulfilledAt.ToOffset(ChinaOffset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
