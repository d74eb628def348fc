using O2O.Application.Auth;
using O2O.Application.Orders;

namespace O2O.Functions.Orders;

public sealed class ListOrders(OrderQueries orders, SessionTokens sessions)
{
    [Function(nameof(ListOrders))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        var pageSize = QueryValues.PageSize(request);
        if (!pageSize.IsSuccess) return ApiResponse.Problem(pageSize.Error);
        return ApiResponse.From(await orders.ListForConsumerAsync(consumer, QueryValues.Text(request, "continuationToken"), pageSize.Value, cancellationToken));
    }
}
