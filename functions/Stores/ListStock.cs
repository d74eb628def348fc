using O2O.Application.Auth;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class ListStock(StockService stock, AdminAuthenticator admin)
{
    [Function(nameof(ListStock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores/{storeId}/stock")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        var rows = await stock.ListAsync(storeId, cancellationToken);
        return rows.IsSuccess ? ApiResponse.Ok(new { items = rows.Value }) : ApiResponse.Problem(rows.Error);
    }
}
