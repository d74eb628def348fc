namespace O2O.Domain.Dispatch;

/// <summary>
/// A courier platform's delivery status, mapped from each platform's own codes. The forward ones
/// are ranked: an update ranked below what the order already has is late and changes nothing.
/// </summary>
public enum CourierStatus
{
    Waiting = 0,
    Assigned = 1,
    AtStore = 2,
    InTransit = 3,
    Delivered = 4,

    /// <summary>The rider or the platform gave the delivery up before the goods left the store.</summary>
    Cancelled = 10,

    /// <summary>Delivery failed; the rider is bringing the goods back.</summary>
    Returning = 11,

    /// <summary>The goods are back at the store.</summary>
    Returned = 12,
}

/// <summary>What a verified courier webhook says about one of our deliveries.</summary>
/// <param name="DeliveryId">Our id of the delivery, sent to the platform when it was booked.</param>
/// <param name="At">The platform's time of the update.</param>
public sealed record CourierUpdate(
    string Provider, string DeliveryId, string? CourierOrderId, CourierStatus Status, DateTimeOffset At,
    string? RiderName = null, string? RiderPhone = null, double? RiderLat = null, double? RiderLng = null, string? Reason = null);

/// <summary>Delivery ids: the order id and the booking attempt, so a repeated booking request names the same delivery.</summary>
public static class DeliveryIds
{
    public static string For(string orderId, int attempt) => $"{orderId}-{attempt}";

    public static string? OrderIdOf(string deliveryId)
    {
        var dash = deliveryId.LastIndexOf('-');
        return dash > 0 && int.TryParse(deliveryId.AsSpan(dash + 1), out var attempt) && attempt > 0 ? deliveryId[..dash] : null;
    }

    /// <summary>The middle of a mainland mobile number hidden, as riders' numbers are shown to consumers.</summary>
    public static string? MaskPhone(string? phone) =>
        phone is { Length: >= 7 } ? phone[..3] + new string('*', phone.Length - 7) + phone[^4..] : phone;
}

/// <summary>What a courier update did to the order, for the work that follows outside it.</summary>
public enum CourierEffect
{
    /// <summary>A duplicate, a late update, or another booking's: nothing changed.</summary>
    None,
    Changed,

    /// <summary>The platform gave the booking up: book with the next platform.</summary>
    Redispatch,

    /// <summary>Delivered: the units leave the store's stock for good.</summary>
    Delivered,

    /// <summary>Returned to the store: the order is cancelled and refunded, its units go back on sale.</summary>
    Returned,
}
