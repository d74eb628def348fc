using O2O.Application.AfterSales;
using O2O.Application.Stores;

namespace O2O.Functions.AfterSales;

/// <summary>The store's after-sales cases, optionally of one stage (?status=Requested), paged with continuationToken.</summary>
public sealed class ListStoreAfterSales(StoreAfterSalesTable cases, StoreKeys keys)
{
    [Function(nameof(ListStoreAfterSales))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stores/{storeId}/after-sales")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        return ApiResponse.From(await cases.ListAsync(
            storeId, QueryValues.Text(request, "status"), QueryValues.Text(request, "continuationToken"), pageSize.Value, cancellationToken));
    }
}
