using O2O.Application.Agents;
using O2O.Application.Auth;

namespace O2O.Functions.Agents;

public sealed class GetAgent(AgentService agents, AdminAuthenticator admin)
{
    [Function(nameof(GetAgent))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agents/{agentId}")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.From(await agents.GetAsync(agentId, cancellationToken));
    }
}
