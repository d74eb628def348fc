using O2O.Application.HeadOffice;
using O2O.Application.Orders;

namespace O2O.Functions.Orders;

public sealed class GetOrderAsOperator(OrderQueries orders, HeadOfficeSignIn headOffice)
{
    [Function(nameof(GetOrderAsOperator))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/orders/{orderId}")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        return ApiResponse.From(await orders.GetForOperatorAsync(orderId, cancellationToken));
    }
}
