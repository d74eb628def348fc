using O2O.Application.Auth;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class PutStock(StockService stock, AdminAuthenticator admin)
{
    [Function(nameof(PutStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/stores/{storeId}/stock/{sku}")] HttpRequest request,
        string storeId,
        string sku,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return await JsonBody.AnswerAsync(request, (StockRequest body) => stock.SetOnHandAsync(storeId, sku, body, cancellationToken), cancellationToken);
    }
}
