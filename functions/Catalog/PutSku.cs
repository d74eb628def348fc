using O2O.Application.Auth;
using O2O.Application.Catalog;

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
        return await JsonBody.AnswerAsync(request, (SkuRequest body) => catalog.PutAsync(sku, body, cancellationToken), cancellationToken);
    }
}
