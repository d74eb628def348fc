namespace O2O.Domain.Dispatch;

/// <summary>
/// A courier platform's price for a delivery before it is booked: what it would charge us (fen),
/// how far it counts the ride, how long it promises (where it says), and, for a platform that
/// books by quote (Dada's deliveryNo), the token and until when it holds.
/// </summary>
public sealed record CourierQuote(string Provider, long FeeFen, int? DistanceM, int? Minutes, string? Token = null, DateTimeOffset? ValidUntil = null)
{
    public bool ValidAt(DateTimeOffset now) => ValidUntil is null || now < ValidUntil;
}
