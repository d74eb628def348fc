using O2O.Application.Operations;

namespace O2O.Functions.Operations;

public sealed class GetHealth(HealthCheck health)
{
    [Function(nameof(GetHealth))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        await health.StorageReachableAsync(cancellationToken)
            ? ApiResponse.Ok(new { status = "ok" })
            : new ApiResponse(StatusCodes.Status503ServiceUnavailable, new { status = "storage unreachable" });
}
