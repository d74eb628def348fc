using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>A clerk corrects the count by a number of units, with a reason; the Idempotency-Key makes a repeat harmless.</summary>
public sealed class AdjustStoreStock(StockService stock, StoreKeys keys)
{
    [Function(nameof(AdjustStoreStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/stock/{sku}/adjustments")] HttpRequest request,
        string storeId,
        string sku,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request,
            (StockAdjustmentRequest body) => stock.AdjustAsync(storeId, sku,
            request.Headers["Idempotency-Key"].ToString(), body, cancellationToken), cancellationToken);
    }
}
