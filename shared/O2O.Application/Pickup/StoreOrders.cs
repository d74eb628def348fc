using Azure.Storage.Queues;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Pickup;

/// <summary>What store staff do with the orders routed to their store. Another store's order is "not found".</summary>
public sealed class StoreOrders(OrderTable orders, OptimisticConcurrency concurrency, QueueServiceClient queues, TimeProvider clock)
{
    public async Task<Result<OrderView>> AcceptAsync(string storeId, string orderId, CancellationToken cancellationToken)
    {
        var consumerKey = OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null) return NotFound(orderId);
        var accepted = await concurrency.RunAsync<Result<Order>>(async ct =>
        {
            var stored = await orders.GetAsync(consumerKey, orderId, ct);
            if (stored is null || stored.Order.StoreId != storeId) return NotFound(orderId);
            var result = stored.Order.Accept(clock.GetUtcNow(), $"store:{storeId}");
            if (result.IsSuccess && stored.Order.NewEvents.Count > 0) await orders.SaveAsync(stored, ct);
            return result;
        }, cancellationToken);
        if (!accepted.IsSuccess) return accepted.Error;
        if (accepted.Value.NewEvents.Count > 0)
            await queues.GetQueueClient(StorageNames.OrderOutboxQueue).SendMessageAsync(orderId, cancellationToken);
        return OrderView.From(accepted.Value, forConsumer: false);
    }

    private static Error NotFound(string orderId) => Error.NotFound($"Store has no order '{orderId}'.");
}
