using O2O.Application.Agents;
using O2O.Application.HeadOffice;
using O2O.Domain.Agents;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.Agents;

/// <summary>Head office approves an agent, changes its tier or parent, or deactivates it (active: false).</summary>
public sealed class PutAgent(AgentService agents, HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    [Function(nameof(PutAgent))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/agents/{agentId}")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, StaffRole.Finance, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return await JsonBody.AnswerAsync(request, (AgentInput body) => audit.ChangeAsync(access.Staff, "agent.put", $"agents/{agentId}",
            async ct => (await agents.GetAsync(agentId, ct)).Value, ct => agents.PutAsync(agentId, body, ct), cancellationToken), cancellationToken);
    }
}
