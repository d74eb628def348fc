using O2O.Application.Auth;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class ListStores(StoreService stores, AdminAuthenticator admin)
{
    [Function(nameof(ListStores))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores")] HttpRequest request,

        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.Ok(new { items = await stores.ListAsync(cancellationToken) });
    }
}
