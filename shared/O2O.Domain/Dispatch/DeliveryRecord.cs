namespace O2O.Domain.Dispatch;

/// <summary>
/// Where a delivery order's courier booking stands. <see cref="Provider"/> is set when a booking
/// is begun (before the platform is called, so a retry asks the same platform under the same
/// id and never books a second rider) and <see cref="CourierOrderId"/> once the platform took it.
/// </summary>
/// <param name="Tried">Platforms given up on for this order (failed, cancelled, or no rider in time).</param>
/// <param name="Flagged">Every platform was tried: the store and an operator must act.</param>
/// <param name="Redelivered">The goods came back once and went out again; a second return is refunded.</param>
/// <param name="ReadyBy">When the store expects the goods ready, if it dispatched on accept; null when dispatched once ready.</param>
/// <param name="HeardAt">When the platform last moved the booking (a webhook that changed it) or was last asked about it.</param>
public sealed record DeliveryRecord(
    int Attempt,
    string? Provider,
    string? CourierOrderId,
    CourierStatus Status,
    DateTimeOffset? BookedAt,
    IReadOnlyList<string> Tried,
    bool Flagged = false,
    string? RiderName = null,
    string? RiderPhone = null,
    double? RiderLat = null,
    double? RiderLng = null,
    DateTimeOffset? ReadyBy = null,
    bool Redelivered = false,
    DateTimeOffset? HeardAt = null)
{
    /// <summary>When a rider can first be expected to take it: at booking, or when the goods will be ready.</summary>
    public DateTimeOffset? WaitFrom => ReadyBy > BookedAt ? ReadyBy : BookedAt;

    public static DeliveryRecord New => new(0, null, null, CourierStatus.Waiting, null, []);

    public string? DeliveryId(string orderId) => Provider is null ? null : DeliveryIds.For(orderId, Attempt);

    /// <summary>Since when nothing was heard of the booking.</summary>
    public DateTimeOffset? SilentSince => HeardAt ?? WaitFrom;
}
