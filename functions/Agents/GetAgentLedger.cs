using System.Globalization;
using System.Text;
using O2O.Application.Agents;
using O2O.Application.Platform;

namespace O2O.Functions.Agents;

/// <summary>Head office's view of an agent's ledger (paged JSON), and the finance export of every entry (?format=csv).</summary>
public sealed class GetAgentLedger(AgentService agents, CommissionLedger ledger, AdminAuthenticator admin)
{
    [Function(nameof(GetAgentLedger))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agents/{agentId}/ledger")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        var agent = await agents.GetAsync(agentId, cancellationToken);
        if (!agent.IsSuccess) return ApiResponse.Problem(agent.Error);
        if (QueryValues.Text(request, "format") == "csv")
        {
            var csv = new StringBuilder("agent_id,order_id,line,level,sku,out_refund_no,amount_fen,state,at\n");
            foreach (var e in await ledger.AllAsync(agentId, cancellationToken))
                csv.Append(CultureInfo.InvariantCulture, $"{agentId},{e.OrderId},{e.Line},{e.Level},{e.Sku},{e.OutRefundNo},{e.AmountFen},{e.State},{e.At:O}\n");
            return new ContentResult { Content = csv.ToString(), ContentType = "text/csv; charset=utf-8", StatusCode = 200 };
        }
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        return ApiResponse.Ok(await ledger.PageAsync(agentId, QueryValues.Text(request, "continuationToken"), pageSize.Value ?? 50, cancellationToken));
    }
}
