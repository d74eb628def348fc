using O2O.Application.StoreOrders;
using O2O.Application.Stores;

namespace O2O.Functions.StoreOrders;

/// <summary>The store's orders, newest first, optionally of one status (?status=Paid), paged with continuationToken.</summary>
public sealed class ListStoreOrders(StoreOrderTable index, StoreKeys keys)
{
    [Function(nameof(ListStoreOrders))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stores/{storeId}/orders")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        return ApiResponse.From(await index.ListAsync(
            storeId, QueryValues.Text(request, "status"), QueryValues.Text(request, "continuationToken"), pageSize.Value, cancellationToken));
    }
}
