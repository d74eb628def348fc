using O2O.Application.Orders;
using O2O.Application.Stores;

namespace O2O.Functions.StoreOrders;

/// <summary>One order of the store's queue in full: lines, times, note, the buyer's masked phone, the courier and rider.</summary>
public sealed class GetStoreOrder(OrderQueries orders, StoreKeys keys)
{
    [Function(nameof(GetStoreOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stores/{storeId}/orders/{orderId}")] HttpRequest request,
        string storeId,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.From(await orders.GetForStoreAsync(storeId, orderId, cancellationToken));
    }
}
