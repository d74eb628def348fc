using O2O.Application.Platform;
using O2O.Application.Stores;
using O2O.Domain.Stores;

namespace O2O.Functions.Stores;

public sealed class PutStore(StoreService stores, AdminAuthenticator admin)
{
    [Function(nameof(PutStore))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/stores/{storeId}")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        var body = await JsonBody.ReadAsync<StoreInput>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        return ApiResponse.From(await stores.PutAsync(storeId, body.Value, cancellationToken));
    }
}
