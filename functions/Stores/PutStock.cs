using O2O.Application.Platform;
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
        var body = await JsonBody.ReadAsync<StockRequest>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        return ApiResponse.From(await stock.SetOnHandAsync(storeId, sku, body.Value, cancellationToken));
    }
}
