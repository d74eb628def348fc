using O2O.Application.Catalog;
using O2O.Application.Platform;

namespace O2O.Functions.Catalog;

public sealed class PutSku(CatalogService catalog, AdminAuthenticator admin)
{
    [Function(nameof(PutSku))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/skus/{sku}")] HttpRequest request,
        string sku,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        var body = await JsonBody.ReadAsync<SkuRequest>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        return ApiResponse.From(await catalog.PutAsync(sku, body.Value, cancellationToken));
    }
}
