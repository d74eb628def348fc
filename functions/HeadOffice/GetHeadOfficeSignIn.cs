using O2O.Application.HeadOffice;

namespace O2O.Functions.HeadOffice;

/// <summary>Where the head-office page signs a person in (the Entra ID endpoints and client id: all public, so no key is needed).</summary>
public sealed class GetHeadOfficeSignIn(HeadOfficeSignIn signIn)
{
    [Function(nameof(GetHeadOfficeSignIn))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/sign-in")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResponse.From(await signIn.PageAsync(cancellationToken));
}
