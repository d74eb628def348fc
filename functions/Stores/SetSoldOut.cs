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
        var body = await JsonBody.ReadAsync<SoldOutRequest>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        return ApiResponse.From(await stock.SetSoldOutAsync(storeId, sku, body.Value, cancellationToken));
    }
}
