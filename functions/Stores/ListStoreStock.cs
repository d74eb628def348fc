using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>The store's own stock, with SKU names, for its clerks.</summary>
public sealed class ListStoreStock(StockService stock, StoreKeys keys)
{
    [Function(nameof(ListStoreStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stores/{storeId}/stock")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.Ok(new { items = await stock.ListForStoreAsync(storeId, cancellationToken) });
    }
}
