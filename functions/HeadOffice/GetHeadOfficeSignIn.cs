using O2O.Application.HeadOffice;
using O2O.Domain.Common;

namespace O2O.Functions.HeadOffice;

/// <summary>Where the head-office page signs a person in (the Entra ID endpoints and client id: all public, so no key is needed).</summary>
public sealed class GetHeadOfficeSignIn(HeadOfficeSignIn signIn)
{
    [Function(nameof(GetHeadOfficeSignIn))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/sign-in")] HttpRequest request,
        CancellationToken cancellationToken) =>
        await signIn.PageAsync(cancellationToken) is { } page
            ? ApiResponse.Ok(page)
            : ApiResponse.Problem(Error.NotFound("Head office's sign-in is not configured: set HeadOffice__Authority and HeadOffice__ClientId."));
}
