using O2O.Application.Auth;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class GetStock(StockService stock, AdminAuthenticator admin)
{
    [Function(nameof(GetStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores/{storeId}/stock/{sku}")] HttpRequest request,
        string storeId,
        string sku,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.From(await stock.GetAsync(storeId, sku, cancellationToken));
    }
}
