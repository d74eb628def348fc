namespace O2O.Functions.Http;

/// <summary>The OpenAPI 3.1 description of every public route (functions/openapi.json; a test keeps it and the functions in step).</summary>
public sealed class GetOpenApi
{
    [Function(nameof(GetOpenApi))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        new EmbeddedFileResult(EmbeddedFiles.Find("openapi.json")!);
}
