using O2O.Application.HeadOffice;
using O2O.Application.Stores;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.Stores;

public sealed class PutStock(StockService stock, HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    [Function(nameof(PutStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/stores/{storeId}/stock/{sku}")] HttpRequest request,
        string storeId,
        string sku,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Operator, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return await JsonBody.AnswerAsync(request, (StockRequest body) => audit.ChangeAsync(access.Staff, "stock.put",
            $"stores/{storeId}/stock/{sku}", async ct => (await stock.GetAsync(storeId, sku, ct)).Value, ct => stock.SetOnHandAsync(storeId, sku, body, ct),
            cancellationToken), cancellationToken);
    }
}
