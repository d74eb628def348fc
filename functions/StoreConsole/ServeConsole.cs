using Microsoft.Extensions.Options;
using O2O.Application.HeadOffice;
using O2O.Domain.Common;

namespace O2O.Functions.StoreConsole;

/// <summary>
/// The store console (plain HTML, CSS and JavaScript modules in wwwroot/, no build step) at
/// /console/, and the API reference at /console/api/. The pages hold no secret: a clerk signs in
/// with the store key, which the page keeps in session storage and sends to the store routes. Head office's page is at
/// /console/hq/: it signs in with Entra ID, whose token endpoint it may call.
/// </summary>
public sealed class ServeConsole(IOptions<HeadOfficeSettings> headOffice)
{
    [Function(nameof(ServeConsole))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest request,
        string? path)
    {
        var name = "console/" + (path ?? "");
        var file = EmbeddedFiles.Find(name.EndsWith('/') ? name + "index.html" : name) ?? EmbeddedFiles.Find(name + "/index.html");
        if (file is null) return ApiResponse.Problem(Error.NotFound($"The console has no page '{path}'."));
        var entra = Uri.TryCreate(headOffice.Value.Authority, UriKind.Absolute, out var authority) ? authority.GetLeftPart(UriPartial.Authority) : null;
        return new EmbeddedFileResult(file, name.StartsWith("console/hq/", StringComparison.Ordinal) ? entra : null);
    }
}
