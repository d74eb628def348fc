using O2O.Application.StoreOrders;
using O2O.Application.Stores;

namespace O2O.Functions.StoreOrders;

public sealed class AcceptOrder(StoreOrderSteps steps, StoreKeys keys)
{
    [Function(nameof(AcceptOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/orders/{orderId}/accept")] HttpRequest request,
        string storeId,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.From(await steps.AcceptAsync(storeId, orderId, cancellationToken));
    }
}
