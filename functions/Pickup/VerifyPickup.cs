using O2O.Application.Pickup;
using O2O.Application.Stores;

namespace O2O.Functions.Pickup;

/// <summary>核销: the clerk enters the consumer's code; exactly one of two concurrent verifications wins.</summary>
public sealed class VerifyPickup(PickupService pickups, StoreKeys keys)
{
    [Function(nameof(VerifyPickup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/pickups/verify")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request, (VerifyRequest body) => pickups.VerifyAsync(storeId, body.Code, cancellationToken), cancellationToken);
    }

    public sealed record VerifyRequest(string? Code);
}
