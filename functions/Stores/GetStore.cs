using O2O.Application.HeadOffice;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

public sealed class GetStore(StoreService stores, HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetStore))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/stores/{storeId}")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.From(await stores.GetAsync(storeId, cancellationToken));
    }
}
