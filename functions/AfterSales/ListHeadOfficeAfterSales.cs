using O2O.Application.AfterSales;
using O2O.Application.HeadOffice;
using O2O.Domain.Common;

namespace O2O.Functions.AfterSales;

/// <summary>The cases waiting for head office (?state=needsHeadOffice), oldest first, paged with continuationToken.</summary>
public sealed class ListHeadOfficeAfterSales(HeadOfficeCases cases, HeadOfficeSignIn headOffice)
{
    public const string NeedsHeadOffice = "needsHeadOffice";

    [Function(nameof(ListHeadOfficeAfterSales))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/after-sales")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        if (QueryValues.Text(request, "state") != NeedsHeadOffice)
            return ApiResponse.Problem(Error.Validation("state", $"must be \"{NeedsHeadOffice}\": head office lists the cases that wait for it"));
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        return ApiResponse.From(await cases.ListAsync(QueryValues.Text(request, "continuationToken"), pageSize.Value, cancellationToken));
    }
}
