using O2O.Application.Catalog;
using O2O.Application.Platform;

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
