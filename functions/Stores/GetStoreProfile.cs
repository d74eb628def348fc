using O2O.Application.Stores;
using O2O.Domain.Common;

namespace O2O.Functions.Stores;

/// <summary>The store as its clerks see it in the console's header: its name, and whether each mode takes orders now.</summary>
public sealed class GetStoreProfile(StoreDirectory stores, StoreKeys keys)
{
    [Function(nameof(GetStoreProfile))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stores/{storeId}")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await stores.ProfileAsync(storeId, cancellationToken) is { } profile
            ? ApiResponse.Ok(profile)
            : ApiResponse.Problem(Error.NotFound($"There is no store '{storeId}'."));
    }
}
