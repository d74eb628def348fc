using O2O.Application.Auth;
using O2O.Application.Orders;

namespace O2O.Functions.Orders;

public sealed class GetOrderAsOperator(OrderQueries orders, AdminAuthenticator admin)
{
    [Function(nameof(GetOrderAsOperator))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/orders/{orderId}")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!admin.Allows(request)) return AdminAccess.Denied;
        return ApiResponse.From(await orders.GetForOperatorAsync(orderId, cancellationToken));
    }
}
