using O2O.Application.AfterSales;
using O2O.Application.Auth;

namespace O2O.Functions.AfterSales;

/// <summary>The buyer takes back a case still waiting for the store's answer or for the goods.</summary>
public sealed class WithdrawAfterSales(AfterSalesService afterSales, SessionTokens sessions)
{
    [Function(nameof(WithdrawAfterSales))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/orders/{orderId}/after-sales/{caseId}/cancel")] HttpRequest request,
        string orderId,
        string caseId,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        return ApiResponse.From(await afterSales.WithdrawAsync(consumer, orderId, caseId, cancellationToken));
    }
}
