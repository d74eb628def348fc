using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Catalog;
using O2O.Application.Platform;
using O2O.Application.Storage;
using O2O.Application.Stores;
using O2O.Domain.Agents;
using O2O.Domain.Common;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.Application.Orders;

/// <summary>
/// Order intake. The storage round trips of a first request: read stock at the nearest candidate
/// store, reserve it (one transaction in the store's partition), write the order with its
/// timeline, event and index row (one transaction in the consumer's partition), nudge the
/// outbox relay. Prices and names come from the cached catalog, candidates from the cached store list.
/// The consumer's unpaid orders are counted alongside the stock read (a fifth request, not a fifth
/// round trip): one consumer may hold at most <see cref="OrderSettings.MaxUnpaidOrders"/> unpaid
/// orders' stock at once, and at most <see cref="OrderSettings.MaxUnitsPerSku"/> units of a SKU per
/// order. The count holds under parallel checkouts: the order is written together with the
/// consumer's intake row under the ETag read with the count, so a checkout that lost the race
/// counts again (a payment or a cancellation only lowers the count). Within an instance, one
/// consumer's checkouts take turns at that step. An order for a slot takes its place in the slot
/// with the stock (same transaction); a delivery is quoted by the store's courier platforms while
/// its stock is reserved (<see cref="IDeliveryQuotes"/>, 500 ms at most).
/// </summary>
public sealed partial class CheckoutService(
    CatalogCache catalog,
    StoreDirectory stores,
    StockReservations reservations,
    SlotOffers slots,
    IDeliveryQuotes quotes,
    IStoreBacklog backlog,
    OrderTable orders,
    OrderChanges changes,
    Agents.AgentService agents,
    KeyedTurns turns,
    IOptions<OrderSettings> settings,
    TimeProvider clock,
    ILogger<CheckoutService> logger)
{
    /// <summary>
    /// A reservation older than this is not turned into an order by the request that made it; the
    /// sweeper releases such orphans after <see cref="ReservationSweeper.OrphanAge"/>, which is longer.
    /// </summary>
    public static readonly TimeSpan IntakeDeadline = TimeSpan.FromSeconds(30);

    public async Task<Result<PlacedOrder>> PlaceAsync(string consumerKey, string? idempotencyKey, CartInput input, CancellationToken cancellationToken)
    {
        if (!IdempotencyKeys.IsUsable(idempotencyKey, "each order", out var badKey)) return badKey;
        var cart = Cart.Create(input);
        if (!cart.IsSuccess) return cart.Error;
        var maxUnits = settings.Value.MaxUnitsPerSku;
        var overLimit = new ValidationErrors();
        for (var i = 0; i < cart.Value.Lines.Count; i++)
            if (cart.Value.Lines[i].Quantity > maxUnits) overLimit.Add($"items[{i}].quantity",
                $"must be at most {maxUnits}: that is as many of one item as an order may take");
        if (!overLimit.IsEmpty) return overLimit.ToError();
        var lines = await PriceAsync(cart.Value, cancellationToken);
        if (!lines.IsSuccess) return lines.Error;
        var candidates = await stores.CandidatesAsync(cart.Value.Fulfillment, [.. cart.Value.Lines.Select(l => l.Sku)], cart.Value.SlotStart,
            cancellationToken);
        if (!candidates.IsSuccess) return candidates.Error;

        var orderId = OrderIds.ForRequest(consumerKey, idempotencyKey);
        var requestHash = IdempotencyKeys.RequestHash(input);
        var unpaid = orders.UnpaidOrdersAsync(consumerKey, cancellationToken); // read alongside the stock
        _ = unpaid.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // a path that returns without it still observes its failure
        // The buyer came through a share: bound first (quietly refused for an unknown code, an inactive agent, their own); then who earns, read alongside
        // the stock too.
        if (cart.Value.ShareCode is { } shareCode) await agents.BindAsync(consumerKey, shareCode, cancellationToken);
        var attribution = agents.AttributeAsync(consumerKey, lines.Value, cancellationToken);
        _ = attribution.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        // A delivery is priced by the couriers of the store most likely to take it while its stock is reserved; another store is asked after.
        var quoting = Quote(orderId, cart.Value, candidates.Value.FirstOrDefault()?.Store, lines.Value, cancellationToken);
        _ = quoting.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        StoreDirectory.Candidate? slotFull = null;
        foreach (var candidate in candidates.Value)
        {
            var store = candidate.Store;
            var (outcome, reservation) = await ReserveAsync(store.Id, consumerKey, orderId, requestHash, cart.Value.Lines, candidate.Slot, cancellationToken);
            switch (outcome)
            {
                case ReservationOutcome.Shortfall:
                    continue;
                case ReservationOutcome.SlotFull:
                    slotFull ??= candidate;
                    continue;
                case ReservationOutcome.Contended:
                    return new Error(ErrorCodes.ServiceUnavailable, "Many buyers are ordering these items right now; retry with the same Idempotency-Key.");
                case ReservationOutcome.AlreadyHeld:
                    return await ReplayAsync(consumerKey, orderId, requestHash, reservation!, cancellationToken);
                default:
                    var quote = candidate == candidates.Value[0]
                        ? await quoting
                        : await Quote(orderId, cart.Value, candidate.Store, lines.Value, cancellationToken);
                    return await WriteOrderAsync(consumerKey, orderId, requestHash, cart.Value, lines.Value, await attribution, candidate, quote,
                        reservation!, await unpaid, cancellationToken);
            }
        }
        if (slotFull is not null) return await slots.FullAsync(slotFull.Store, cart.Value.Fulfillment.Mode, slotFull.Slot!.Slot, cancellationToken);
        return cart.Value.Fulfillment is Fulfillment.PickupAt at
            ? new Error(ErrorCodes.OutOfStock, $"Store '{at.StoreId}' does not have every item in the quantity asked for.")
            : new Error(ErrorCodes.NoStoreAvailable, "No open store within reach has every item in the quantity asked for.");
    }

    private TimeSpan UnpaidTimeout => TimeSpan.FromMinutes(settings.Value.UnpaidTimeoutMinutes);

    private Task<CourierQuote?> Quote(string orderId, Cart cart, Store? store, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken) =>
        cart.Fulfillment is Fulfillment.Delivery delivery && store is not null
            ? quotes.QuoteAsync(orderId, store, delivery, lines, cancellationToken)
            : Task.FromResult<CourierQuote?>(null);

    /// <summary>
    /// Reserves the lines at the store. A retry that finds its own units still held, with no order,
    /// past the intake deadline, is retrying a request that died between its two transactions (an
    /// outage, a crashed instance); that request can no longer write the order (it checks the
    /// deadline first), so the retry gives the units back and places the order itself, rather than
    /// being told "in progress" until the sweeper releases them.
    /// </summary>
    private async Task<(ReservationOutcome, Stores.Reservation?)> ReserveAsync(string storeId, string consumerKey, string orderId, string requestHash,
        IReadOnlyList<CartLine> lines, SlotClaim? slot, CancellationToken cancellationToken)
    {
        var (outcome, reservation) = await reservations.ReserveAsync(storeId, orderId, requestHash, lines, UnpaidTimeout, cancellationToken, slot);
        if (outcome != ReservationOutcome.AlreadyHeld
            || reservation is not { State: ReservationState.Held } held || held.RequestHash != requestHash
            || clock.GetUtcNow() - held.CreatedAt <= IntakeDeadline
            || await orders.GetAsync(consumerKey, orderId, cancellationToken) is not null)
            return (outcome, reservation);
        LogTakingOver(logger, orderId, storeId);
        await reservations.ReleaseAsync(storeId, orderId, cancellationToken);
        return await reservations.ReserveAsync(storeId, orderId, requestHash, lines, UnpaidTimeout, cancellationToken, slot);
    }

    /// <summary>How often a checkout counts again after other checkouts of the same consumer wrote first.</summary>
    private const int MaxRecounts = 5;

    private async Task<Result<PlacedOrder>> WriteOrderAsync(string consumerKey, string orderId, string requestHash, Cart cart,
        IReadOnlyList<OrderLine> lines, Attribution? attribution, StoreDirectory.Candidate candidate, CourierQuote? quote, Stores.Reservation reservation,
        UnpaidOrders counted, CancellationToken cancellationToken)
    {
        var store = candidate.Store;
        var storeId = store.Id;
        var now = clock.GetUtcNow();
        if (now - reservation.CreatedAt > IntakeDeadline)
        {
            // Too late to be sure the sweeper has not judged this reservation orphaned: give it back.
            await reservations.ReleaseAsync(storeId, orderId, cancellationToken);
            return new Error(ErrorCodes.ServiceUnavailable, "Placing the order took too long; retry with the same Idempotency-Key.");
        }

        var distanceM = cart.Fulfillment is Fulfillment.Delivery delivery ? store.Location.DistanceMetersTo(delivery.Address.Location) : (double?)null;
        var deliveryFeeFen = distanceM is not { } meters ? 0
            : quotes.BuyerPaysQuote && quote is not null ? quote.FeeFen
            : store.Tariff.FeeFen(meters, lines.Sum(l => l.LineTotalFen));
        // For now, the store's orders in hand come first; a slot is its own time. The ride is the quote's time where the platform
        // gives one, else our estimate by distance.
        var preparation = store.PreparationMinutes ?? OrderPromise.DefaultPreparationMinutes;
        if (candidate.Slot is null) preparation = OrderPromise.PreparationWithQueue(preparation, await backlog.OrdersAheadAsync(storeId, cancellationToken));
        var promise = OrderPromise.Make(candidate.Slot?.Slot, now, preparation,
            distanceM is { } ride ? quote?.Minutes ?? OrderPromise.RideMinutesFor(ride) : null);
        var order = Order.Place(orderId, consumerKey, lines, cart.Fulfillment, storeId,
            now, UnpaidTimeout, cart.AgentCode, cart.Note, deliveryFeeFen, attribution, promise, quote);
        var (outcome, created) = (OrderTable.Creation.IntakeChanged, (OrderTable.StoredOrder?)null);
        using (var pass = await turns.EnterAsync(["intake|" + consumerKey], cancellationToken))
        {
            // Rows read before waiting are stale: the checkout ahead in line wrote the intake row.
            if (pass?.Waited != false) counted = await orders.UnpaidOrdersAsync(consumerKey, cancellationToken);
            for (var recount = 0; outcome == OrderTable.Creation.IntakeChanged && recount <= MaxRecounts; recount++)
            {
                if (recount > 0) counted = await orders.UnpaidOrdersAsync(consumerKey, cancellationToken);
                var others = counted.OrderIds.Count(id => id != orderId);
                if (others >= settings.Value.MaxUnpaidOrders)
                {
                    await reservations.ReleaseAsync(storeId, orderId, cancellationToken);
                    return new Error(ErrorCodes.TooManyUnpaidOrders,
                        $"You have {others} unpaid orders; pay for or cancel one before placing another (at most {settings.Value.MaxUnpaidOrders}).");
                }
                (outcome, created) = await orders.CreateAsync(order, requestHash, counted, cancellationToken);
            }
        }
        if (outcome == OrderTable.Creation.IntakeChanged)
        {
            await reservations.ReleaseAsync(storeId, orderId, cancellationToken);
            return new Error(ErrorCodes.ServiceUnavailable, "Many of your orders are being placed at once; retry with the same Idempotency-Key.");
        }
        if (outcome == OrderTable.Creation.AlreadyExists)
        {
            // A repeat of an order that was placed at another store: this reservation is surplus.
            var existing = await orders.GetAsync(consumerKey, orderId, cancellationToken);
            if (existing?.Order.StoreId != storeId) await reservations.ReleaseAsync(storeId, orderId, cancellationToken);
            return existing is null ? InProgress() : Replayed(existing, requestHash);
        }

        await changes.PublishCreatedAsync(created!, cancellationToken);
        LogPlaced(logger, orderId, storeId, order.TotalFen);
        return new PlacedOrder(OrderView.From(order), Replayed: false);
    }

    private async Task<Result<PlacedOrder>> ReplayAsync(
        string consumerKey, string orderId, string requestHash, Stores.Reservation reservation, CancellationToken cancellationToken)
    {
        if (reservation.RequestHash != requestHash) return KeyReused();
        var existing = await orders.GetAsync(consumerKey, orderId, cancellationToken);
        return existing is null ? InProgress() : Replayed(existing, requestHash);
    }

    private static Result<PlacedOrder> Replayed(OrderTable.StoredOrder existing, string requestHash) =>
        existing.RequestHash == requestHash ? new PlacedOrder(OrderView.From(existing.Order), Replayed: true) : KeyReused();

    private static Error KeyReused() =>
        new(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was already used for a different order; use a new key for a new order.");

    private static Error InProgress() =>
        Error.Conflict("An order with this Idempotency-Key is still being placed; retry shortly with the same key.");

    private async Task<Result<IReadOnlyList<OrderLine>>> PriceAsync(Cart cart, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var lines = new List<OrderLine>();
        for (var i = 0; i < cart.Lines.Count; i++)
        {
            var line = cart.Lines[i];
            var sku = await catalog.FindAsync(line.Sku, cancellationToken);
            if (sku is null) errors.Add($"items[{i}].sku", $"'{line.Sku}' is not in the catalog");
            else if (!sku.Active) errors.Add($"items[{i}].sku", $"'{line.Sku}' is not on sale");
            else lines.Add(new OrderLine(line.Sku, sku.Name, line.Quantity, sku.PriceFen));
        }
        return errors.IsEmpty ? lines : errors.ToError();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} placed at store {StoreId} for {TotalFen} fen")]
    private static partial void LogPlaced(ILogger logger, string orderId, string storeId, long totalFen);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Order {OrderId}: the request that reserved its units at store {StoreId} died before writing it; this retry places it")]
    private static partial void LogTakingOver(ILogger logger, string orderId, string storeId);
}
