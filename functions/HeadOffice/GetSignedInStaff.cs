using O2O.Application.HeadOffice;

namespace O2O.Functions.HeadOffice;

/// <summary>Who the page is signed in as, and their roles: what the page offers them to change.</summary>
public sealed class GetSignedInStaff(HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetSignedInStaff))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/me")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        return access.Allowed ? ApiResponse.Ok(access.Staff) : access.Refused;
    }
}
