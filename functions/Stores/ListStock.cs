using O2O.Application.HeadOffice;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class ListStock(StockService stock, HeadOfficeSignIn headOffice)
{
    [Function(nameof(ListStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores/{storeId}/stock")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        var rows = await stock.ListAsync(storeId, cancellationToken);
        return rows.IsSuccess ? ApiResponse.Ok(new { items = rows.Value }) : ApiResponse.Problem(rows.Error);
    }
}
