using O2O.Application.AfterSales;
using O2O.Application.Auth;

namespace O2O.Functions.AfterSales;

/// <summary>The buyer's after-sales cases of one order, oldest first.</summary>
public sealed class ListOrderAfterSales(AfterSalesService afterSales, SessionTokens sessions)
{
    [Function(nameof(ListOrderAfterSales))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/orders/{orderId}/after-sales")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        return ApiResponse.From(await afterSales.ListForOrderAsync(consumer, orderId, cancellationToken));
    }
}
