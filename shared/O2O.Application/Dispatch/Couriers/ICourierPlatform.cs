using O2O.Domain.Common;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Dispatch.Couriers;

/// <summary>
/// One same-city courier platform: books and cancels riders in its own protocol, reads its own
/// webhooks and asks where a delivery stands. Calls go through the platform's own resilience pipeline (timeout, retries with
/// jitter, circuit breaker); a failure or an open breaker throws, and dispatch moves on to the
/// next platform.
/// </summary>
public interface ICourierPlatform
{
    string Name { get; }

    /// <summary>
    /// What the platform would charge for the delivery, and how long it would take where it says;
    /// books nothing. Throws when it cannot be asked (the caller gives up on it after a short wait).
    /// </summary>
    Task<CourierQuote> QuoteAsync(CourierBooking booking, CancellationToken cancellationToken);

    /// <summary>Books a rider; the same delivery id again is the same booking, never a second rider. Answers the platform's id.</summary>
    Task<string> BookAsync(CourierBooking booking, CancellationToken cancellationToken);

    Task CancelAsync(string deliveryId, string? courierOrderId, string reason, CancellationToken cancellationToken);

    /// <summary>Verifies a webhook's signature (and freshness, where the platform defines it) and reads it.</summary>
    Result<CourierUpdate> ReadWebhook(CourierWebhook webhook, DateTimeOffset now);

    /// <summary>The answer the platform expects for an accepted webhook, or for a refused one.</summary>
    CourierAnswer Answer(Error? refused);

    /// <summary>
    /// True when anyone can sign the platform's webhooks (no secret in the scheme): a webhook is then
    /// only a hint, and the answer of the status query (signed with our secret) is what is applied.
    /// </summary>
    bool WebhooksNeedConfirmation { get; }

    /// <summary>Where the platform says the delivery stands; null when it knows no such delivery. Throws when it cannot be asked.</summary>
    Task<CourierUpdate?> QueryAsync(string deliveryId, CancellationToken cancellationToken);
}

/// <param name="Lines">What the rider carries: the order's lines less the units refunded before they left the store.</param>
/// <param name="GoodsValueFen">The value of those units at the prices paid.</param>
/// <param name="ReadyBy">When the goods will be ready, for a booking made before they are; null: ready now.</param>
/// <param name="Quote">The platform's quote taken at checkout, which a platform that books by quote (Dada) reuses while it is valid.</param>
public sealed record CourierBooking(
    string DeliveryId, Store Store, DeliveryAddress Address, Contact Contact, IReadOnlyList<OrderLine> Lines, long GoodsValueFen, string CallbackUrl,
    DateTimeOffset? ReadyBy, CourierQuote? Quote = null);

/// <summary>A webhook as it arrived: raw body (signatures cover bytes) and query string.</summary>
public sealed record CourierWebhook(string Body, IReadOnlyDictionary<string, string?> Query);

public sealed record CourierAnswer(int Status, string Json);

/// <summary>A platform answered, but not with a booking: try the next one.</summary>
public sealed class CourierPlatformException(string message) : Exception(message);
