using O2O.Application.HeadOffice;
using O2O.Application.Stores;
using O2O.Domain.HeadOffice;
using O2O.Domain.Stores;

namespace O2O.Functions.Stores;

public sealed class PutStore(StoreService stores, HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    [Function(nameof(PutStore))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/stores/{storeId}")] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Operator, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return await JsonBody.AnswerAsync(request, (StoreInput body) => audit.ChangeAsync(access.Staff, "store.put", $"stores/{storeId}",
            async ct => (await stores.GetAsync(storeId, ct)).Value, ct => stores.PutAsync(storeId, body, ct), cancellationToken), cancellationToken);
    }
}
