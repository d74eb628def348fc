using O2O.Application.Agents;
using O2O.Application.HeadOffice;

namespace O2O.Functions.Agents;

public sealed class GetAgent(AgentService agents, HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetAgent))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agents/{agentId}")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.From(await agents.GetAsync(agentId, cancellationToken));
    }
}
