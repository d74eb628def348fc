using O2O.Application.Pickup;
using O2O.Application.Stores;

namespace O2O.Functions.Pickup;

public sealed class AcceptOrder(StoreOrders storeOrders, StoreKeys keys)
{
    [Function(nameof(AcceptOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/orders/{orderId}/accept")] HttpRequest request,
        string storeId,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.From(await storeOrders.AcceptAsync(storeId, orderId, cancellationToken));
    }
}
