using O2O.Application.Pickup;
using O2O.Application.Stores;

namespace O2O.Functions.StoreOrders;

/// <summary>Pickup: ReadyForPickup with a code for the consumer. Delivery: Dispatching.</summary>
public sealed class MarkOrderReady(PickupService pickups, StoreKeys keys)
{
    [Function(nameof(MarkOrderReady))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/orders/{orderId}/ready")] HttpRequest request,
        string storeId,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.From(await pickups.MarkReadyAsync(storeId, orderId, cancellationToken));
    }
}
