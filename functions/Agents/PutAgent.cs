using O2O.Application.Agents;
using O2O.Application.Platform;
using O2O.Domain.Agents;

namespace O2O.Functions.Agents;

/// <summary>Head office approves an agent, changes its tier or parent, or deactivates it (active: false).</summary>
public sealed class PutAgent(AgentService agents, AdminAuthenticator admin)
{
    [Function(nameof(PutAgent))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/agents/{agentId}")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        var body = await JsonBody.ReadAsync<AgentInput>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        return ApiResponse.From(await agents.PutAsync(agentId, body.Value, cancellationToken));
    }
}
