using O2O.Application.Auth;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class GetStore(StoreService stores, AdminAuthenticator admin)
{
    [Function(nameof(GetStore))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores/{storeId}")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.From(await stores.GetAsync(storeId, cancellationToken));
    }
}
