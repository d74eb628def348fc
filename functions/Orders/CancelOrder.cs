using O2O.Application.Auth;
using O2O.Application.Orders;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Functions.Orders;

public sealed class CancelOrder(OrderCancellation cancellation, SessionTokens sessions)
{
    [Function(nameof(CancelOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/orders/{orderId}/cancel")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        // Another consumer's order is "not found", exactly like a missing one.
        if (OrderIds.ConsumerKeyOf(orderId) != consumer) return ApiResponse.Problem(Error.NotFound($"There is no order '{orderId}'."));
        return ApiResponse.From(await cancellation.CancelAsync(orderId, OrderCancellation.ByConsumer, "cancelled by the consumer", cancellationToken));
    }
}
