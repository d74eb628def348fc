using O2O.Application.HeadOffice;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class GetStock(StockService stock, HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores/{storeId}/stock/{sku}")] HttpRequest request,
        string storeId,
        string sku,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.From(await stock.GetAsync(storeId, sku, cancellationToken));
    }
}
