using O2O.Application.Auth;
using O2O.Application.Orders;
using O2O.Domain.Orders;

namespace O2O.Functions.Orders;

public sealed class PlaceOrder(CheckoutService checkout, SessionTokens sessions)
{
    [Function(nameof(PlaceOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        var body = await JsonBody.ReadAsync<CartInput>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        var placed = await checkout.PlaceAsync(consumer, request.Headers["Idempotency-Key"].ToString(), body.Value, cancellationToken);
        return placed.IsSuccess
            ? ApiResponse.Created($"/api/orders/{placed.Value.Order.OrderId}", placed.Value.Order)
            : ApiResponse.Problem(placed.Error);
    }
}
