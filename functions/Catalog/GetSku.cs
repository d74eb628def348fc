using O2O.Application.Auth;
using O2O.Application.Catalog;

namespace O2O.Functions.Catalog;

public sealed class GetSku(CatalogService catalog, AdminAuthenticator admin)
{
    [Function(nameof(GetSku))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/skus/{sku}")] HttpRequest request,
        string sku,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.From(await catalog.GetAsync(sku, cancellationToken));
    }
}
