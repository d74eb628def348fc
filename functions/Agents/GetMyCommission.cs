using O2O.Application.Agents;
using O2O.Application.Auth;

namespace O2O.Functions.Agents;

/// <summary>An agent's own balance by state and ledger entries, paged with continuationToken.</summary>
public sealed class GetMyCommission(AgentService agents, CommissionLedger ledger, SessionTokens sessions)
{
    [Function(nameof(GetMyCommission))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agents/me")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        var agent = await agents.OfConsumerAsync(consumer, cancellationToken);
        if (!agent.IsSuccess) return ApiResponse.Problem(agent.Error);
        return ApiResponse.From(await ledger.PageAsync(agent.Value.AgentId,
            QueryValues.Text(request, "continuationToken"), pageSize.Value ?? 20, cancellationToken));
    }
}
