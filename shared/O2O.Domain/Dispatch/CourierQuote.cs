namespace O2O.Domain.Dispatch;

/// <summary>
/// A courier platform's price for a delivery before it is booked: what it would charge us (fen),
/// how far it counts the ride, how long it promises (where it says), and, for a platform that
/// books by quote (Dada's deliveryNo), the token and until when it holds. A token is good only for the
/// store and the delivery id it was asked for (<see cref="StoreId"/>, <see cref="DeliveryId"/>): a rerouted
/// order's rider must go to its new store.
/// </summary>
public sealed record CourierQuote(string Provider, long FeeFen, int? DistanceM, int? Minutes, string? Token = null, DateTimeOffset? ValidUntil = null,
    string? StoreId = null, string? DeliveryId = null)
{
    /// <summary>Whether booking <paramref name="deliveryId"/> from <paramref name="storeId"/> may use the quote's token at <paramref name="now"/>.</summary>
    public bool Books(string storeId, string deliveryId, DateTimeOffset now) =>
        Token is not null && StoreId == storeId && DeliveryId == deliveryId && (ValidUntil is null || now < ValidUntil);
}
