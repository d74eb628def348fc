using O2O.Application.Auth;
using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>A new key for a store's staff, shown this once; the previous key keeps working for the grace period.</summary>
public sealed class IssueStoreKey(StoreKeys keys, AdminAuthenticator admin)
{
    [Function(nameof(IssueStoreKey))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/stores/{storeId}/keys")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        var issued = await keys.IssueAsync(storeId, cancellationToken);
        return issued.IsSuccess ? ApiResponse.Created($"/api/admin/stores/{storeId}", issued.Value) : ApiResponse.Problem(issued.Error);
    }
}
