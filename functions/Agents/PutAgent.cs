using O2O.Application.Agents;
using O2O.Application.Auth;
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
        return await JsonBody.AnswerAsync(request, (AgentInput body) => agents.PutAsync(agentId, body, cancellationToken), cancellationToken);
    }
}
