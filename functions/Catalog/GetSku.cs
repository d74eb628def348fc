using O2O.Application.Catalog;
using O2O.Application.HeadOffice;

namespace O2O.Functions.Catalog;

public sealed class GetSku(CatalogService catalog, HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetSku))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/skus/{sku}")] HttpRequest request,
        string sku,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.From(await catalog.GetAsync(sku, cancellationToken));
    }
}
