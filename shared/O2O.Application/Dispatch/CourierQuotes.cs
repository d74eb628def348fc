using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Dispatch.Couriers;
using O2O.Application.Orders;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Dispatch;

/// <summary>
/// Asks every courier platform of the store for a quote at once, each given <see cref="Timeout"/>:
/// a platform that hangs or fails costs checkout that long at most, and is left out. The store's
/// most preferred platform that answered wins: it is the one dispatch asks first. The quote is for
/// the order's first booking from this store (its delivery id), which a platform that books by quote
/// reuses; a rerouted order, or a later attempt, is quoted again.
/// </summary>
public sealed partial class CourierQuotes(CourierPlatforms platforms, IOptions<DeliverySettings> settings, TimeProvider clock,
    ILogger<CourierQuotes> logger) : IDeliveryQuotes
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    public bool BuyerPaysQuote => settings.Value.BuyerFee == DeliverySettings.PassThrough;

    public async Task<CourierQuote?> QuoteAsync(string orderId, Store store, Fulfillment.Delivery delivery, IReadOnlyList<OrderLine> lines,
        CancellationToken cancellationToken)
    {
        var booking = new CourierBooking(DeliveryIds.For(orderId, 1), store, delivery.Address, delivery.Contact, lines, lines.Sum(l => l.LineTotalFen),
            "", ReadyBy: null);
        var quotes = await Task.WhenAll(store.Couriers.Select(provider => AskAsync(provider, booking, cancellationToken)));
        return quotes.OfType<CourierQuote>().FirstOrDefault();
    }

    private async Task<CourierQuote?> AskAsync(string provider, CourierBooking booking, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var platform = platforms[provider];
            var quote = await platform.QuoteAsync(booking with { CallbackUrl = $"{settings.Value.CallbackBaseUrl.TrimEnd('/')}/{provider}/webhook" },
                either.Token);
            return quote with { StoreId = booking.Store.Id, DeliveryId = booking.DeliveryId }; // what its token, if any, books
        }
        catch (Exception e) when (Dispatcher.IsPlatformFailure(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogNoQuote(logger, provider, booking.DeliveryId, e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} gave no quote for delivery {DeliveryId} in time ({Failure})")]
    private static partial void LogNoQuote(ILogger logger, string provider, string deliveryId, string failure);
}
