using System.Globalization;
using System.Text;
using O2O.Application.Agents;
using O2O.Application.HeadOffice;

namespace O2O.Functions.Agents;

/// <summary>Head office's view of an agent's ledger (paged JSON), and the finance export of every entry (?format=csv), streamed as it is read.</summary>
public sealed class GetAgentLedger(AgentService agents, CommissionLedger ledger, HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetAgentLedger))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agents/{agentId}/ledger")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        var agent = await agents.GetAsync(agentId, cancellationToken);
        if (!agent.IsSuccess) return ApiResponse.Problem(agent.Error);
        if (QueryValues.Text(request, "format") == "csv") return new LedgerCsv(agentId, ledger.EntriesAsync(agentId, cancellationToken));
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        return ApiResponse.From(await ledger.PageAsync(agentId, QueryValues.Text(request, "continuationToken"), pageSize.Value, cancellationToken));
    }

    /// <summary>The CSV written row by row as the entries arrive: an agent with years of entries costs no more memory than one page.</summary>
    private sealed class LedgerCsv(string agentId, IAsyncEnumerable<LedgerEntryView> entries) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/csv; charset=utf-8";
            await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
            await writer.WriteAsync("agent_id,order_id,line,level,sku,out_refund_no,amount_fen,state,at\n");
            await foreach (var e in entries)
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{agentId},{e.OrderId},{e.Line},{e.Level},{e.Sku},{e.OutRefundNo},{e.AmountFen},{e.State},{e.At:O}\n"));
        }
    }
}
