using O2O.Application.Catalog;
using O2O.Application.HeadOffice;

namespace O2O.Functions.Catalog;

public sealed class ListSkus(CatalogService catalog, HeadOfficeSignIn headOffice)
{
    [Function(nameof(ListSkus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/skus")] HttpRequest request,

        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.Ok(new { items = await catalog.ListAsync(cancellationToken) });
    }
}
