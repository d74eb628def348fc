using O2O.Application.HeadOffice;
using O2O.Application.Stores;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.Stores;

/// <summary>A new key for a store's staff, shown this once; the previous key keeps working for the grace period.</summary>
public sealed class IssueStoreKey(StoreKeys keys, HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    [Function(nameof(IssueStoreKey))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/stores/{storeId}/keys")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Admin, cancellationToken);
        if (!access.Allowed) return access.Refused;
        // The trail keeps that a key was issued and when, never the key.
        var issued = await audit.ChangeAsync(access.Staff, "store.key_issued", $"stores/{storeId}", _ => Task.FromResult<object?>(null),
            ct => keys.IssueAsync(storeId, ct), cancellationToken, recorded: key => new { key.StoreId, key.IssuedAt, key.PreviousKeyValidUntil });
        return issued.IsSuccess ? ApiResponse.Created($"/api/admin/stores/{storeId}", issued.Value) : ApiResponse.Problem(issued.Error);
    }
}
