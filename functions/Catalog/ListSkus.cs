using O2O.Application.Auth;
using O2O.Application.Catalog;

namespace O2O.Functions.Catalog;

public sealed class ListSkus(CatalogService catalog, AdminAuthenticator admin)
{
    [Function(nameof(ListSkus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/skus")] HttpRequest request,

        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.Ok(new { items = await catalog.ListAsync(cancellationToken) });
    }
}
