using O2O.Application.Catalog;
using O2O.Application.HeadOffice;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.Catalog;

public sealed class PutSku(CatalogService catalog, HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    [Function(nameof(PutSku))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/skus/{sku}")] HttpRequest request,
        string sku,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Operator, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return await JsonBody.AnswerAsync(request, (SkuRequest body) => audit.ChangeAsync(access.Staff, "sku.put", $"skus/{sku}",
            async ct => (await catalog.GetAsync(sku, ct)).Value, ct => catalog.PutAsync(sku, body, ct), cancellationToken), cancellationToken);
    }
}
