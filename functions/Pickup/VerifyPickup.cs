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
        var body = await JsonBody.ReadAsync<VerifyRequest>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        return ApiResponse.From(await pickups.VerifyAsync(storeId, body.Value.Code, cancellationToken));
    }

    public sealed record VerifyRequest(string? Code);
}
