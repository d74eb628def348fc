using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using O2O.Application.Platform;
using O2O.Functions.Http;

namespace O2O.Functions.Platform;

public sealed class GetHealth(HealthCheck health)
{
    [Function(nameof(GetHealth))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        await health.StorageReachableAsync(cancellationToken)
            ? ApiResponse.Ok(new { status = "ok" })
            : new ApiResponse(StatusCodes.Status503ServiceUnavailable, new { status = "storage unreachable" });
}
