using O2O.Application.StoreOrders;
using O2O.Application.Stores;

namespace O2O.Functions.StoreOrders;

/// <summary>Pickup: ReadyForPickup with a code for the consumer. Delivery: Dispatching.</summary>
public sealed class MarkOrderReady(StoreOrderSteps steps, StoreKeys keys)
{
    [Function(nameof(MarkOrderReady))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/orders/{orderId}/ready")] HttpRequest request,
        string storeId,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.From(await steps.MarkReadyAsync(storeId, orderId, cancellationToken));
    }
}
