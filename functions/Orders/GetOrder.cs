using O2O.Application.Auth;
using O2O.Application.Orders;

namespace O2O.Functions.Orders;

public sealed class GetOrder(OrderQueries orders, SessionTokens sessions)
{
    [Function(nameof(GetOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/orders/{orderId}")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        return ApiResponse.From(await orders.GetForConsumerAsync(consumer, orderId, cancellationToken));
    }
}
