using O2O.Application.Auth;
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
        return await JsonBody.AnswerAsync(request, (StoreInput body) => stores.PutAsync(storeId, body, cancellationToken), cancellationToken);
    }
}
