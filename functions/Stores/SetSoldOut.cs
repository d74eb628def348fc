using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>The store stops or resumes selling a SKU, whatever its count says.</summary>
public sealed class SetSoldOut(StockService stock, StoreKeys keys)
{
    [Function(nameof(SetSoldOut))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/stores/{storeId}/stock/{sku}/sold-out")] HttpRequest request,
        string storeId,
        string sku,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request, (SoldOutRequest body) => stock.SetSoldOutAsync(storeId, sku, body, cancellationToken), cancellationToken);
    }
}
