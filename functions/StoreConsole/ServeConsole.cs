using O2O.Domain.Common;

namespace O2O.Functions.StoreConsole;

/// <summary>
/// The store console (plain HTML, CSS and JavaScript modules in wwwroot/, no build step) at
/// /console/, and the API reference at /console/api/. The pages hold no secret: a clerk signs in
/// with the store key, which the page keeps in session storage and sends to the store routes.
/// </summary>
public sealed class ServeConsole
{
    [Function(nameof(ServeConsole))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest request,
        string? path)
    {
        var name = "console/" + (path ?? "");
        var file = EmbeddedFiles.Find(name.EndsWith('/') ? name + "index.html" : name) ?? EmbeddedFiles.Find(name + "/index.html");
        return file is null ? ApiResponse.Problem(Error.NotFound($"The console has no page '{path}'.")) : new EmbeddedFileResult(file);
    }
}
