using O2O.Application.AfterSales;
using O2O.Application.HeadOffice;
using O2O.Application.Stores;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.AfterSales;

/// <summary>
/// A store's answers to a case of one of its orders: approve (up to its approval limit), reject
/// with a reason, and received (the returned goods are at the counter; "restock": false counts them
/// as damaged). Head office approves or rejects any case, above the limit too.
/// </summary>
public sealed class AnswerAfterSales(AfterSalesService afterSales, StoreKeys keys, HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    [Function("ApproveAfterSales")]
    public async Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/after-sales/{caseId}/approve")] HttpRequest request,
        string storeId,
        string caseId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return ApiResponse.From(await afterSales.ApproveAsync(storeId, caseId, cancellationToken));
    }

    [Function("RejectAfterSales")]
    public async Task<IActionResult> Reject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/after-sales/{caseId}/reject")] HttpRequest request,
        string storeId,
        string caseId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request,
            (CaseAnswerInput body) => afterSales.RejectAsync(storeId, caseId, body, cancellationToken), cancellationToken);
    }

    [Function("ReceiveReturnedGoods")]
    public async Task<IActionResult> Received(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/after-sales/{caseId}/received")] HttpRequest request,
        string storeId,
        string caseId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request,
            (CaseAnswerInput body) => afterSales.ReceiveAsync(storeId, caseId, body, cancellationToken), cancellationToken);
    }

    [Function("ApproveAfterSalesAsHeadOffice")]
    public async Task<IActionResult> ApproveAsHeadOffice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/after-sales/{caseId}/approve")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Finance, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.From(await audit.ChangeAsync(access.Staff, "aftersales.approved", $"after-sales/{caseId}",
            async ct => await afterSales.FindAsync(caseId, ct), ct => afterSales.ApproveAsync(storeId: null, caseId, ct), cancellationToken));
    }

    [Function("RejectAfterSalesAsHeadOffice")]
    public async Task<IActionResult> RejectAsHeadOffice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/after-sales/{caseId}/reject")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Finance, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return await JsonBody.AnswerAsync(request, (CaseAnswerInput body) => audit.ChangeAsync(access.Staff, "aftersales.rejected", $"after-sales/{caseId}",
            async ct => await afterSales.FindAsync(caseId, ct), ct => afterSales.RejectAsync(storeId: null, caseId, body, ct), cancellationToken),
            cancellationToken);
    }
}
