using O2O.Application.HeadOffice;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class ListStores(StoreService stores, HeadOfficeSignIn headOffice)
{
    [Function(nameof(ListStores))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores")] HttpRequest request,

        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.Ok(new { items = await stores.ListAsync(cancellationToken) });
    }
}
