using O2O.Application.HeadOffice;
using O2O.Application.Operations;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.Operations;

/// <summary>The operator's consistency check: every broken invariant of one store (?storeId=) or of all.</summary>
public sealed class CheckConsistency(ConsistencyChecker checker, HeadOfficeSignIn headOffice)
{
    [Function(nameof(CheckConsistency))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/consistency")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Operator, cancellationToken);
        if (!access.Allowed) return access.Refused;
        var storeId = QueryValues.Text(request, "storeId");
        if (storeId is not null && !Domain.Common.Identifier.IsValid(storeId))
            return ApiResponse.Problem(Domain.Common.Error.Validation("storeId", "is not a store id"));
        var findings = storeId is null
            ? await checker.CheckAsync(cancellationToken)
            : await checker.CheckStoreAsync(storeId, cancellationToken);
        return new ApiResponse(StatusCodes.Status200OK, new { consistent = findings.Count == 0, findings });
    }
}
