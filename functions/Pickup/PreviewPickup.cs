using O2O.Application.Pickup;
using O2O.Application.Stores;

namespace O2O.Functions.Pickup;

/// <summary>The order a pickup code opens, shown to the clerk before the goods go over; a wrong code counts as in a verification.</summary>
public sealed class PreviewPickup(PickupService pickups, StoreKeys keys)
{
    [Function(nameof(PreviewPickup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/pickups/preview")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request,
            (VerifyPickup.VerifyRequest body) => pickups.PreviewAsync(storeId, body.Code, cancellationToken), cancellationToken);
    }
}
