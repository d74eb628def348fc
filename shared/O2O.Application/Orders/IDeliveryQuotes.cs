using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Orders;

/// <summary>
/// Prices a delivery with the store's courier platforms before the buyer pays (the dispatch
/// feature answers it), and says whether the buyer pays that price or the store's tariff.
/// </summary>
public interface IDeliveryQuotes
{
    /// <summary>The quote of the store's most preferred platform that answered in time; null when none did.</summary>
    Task<CourierQuote?> QuoteAsync(string orderId, Store store, Fulfillment.Delivery delivery, IReadOnlyList<OrderLine> lines,
        CancellationToken cancellationToken);

    /// <summary>Whether the buyer pays the quote (pass-through) rather than the store's tariff.</summary>
    bool BuyerPaysQuote { get; }
}
