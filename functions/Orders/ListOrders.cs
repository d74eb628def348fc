using System.Globalization;
using O2O.Application.Auth;
using O2O.Application.Orders;
using O2O.Domain.Common;

namespace O2O.Functions.Orders;

public sealed class ListOrders(OrderQueries orders, SessionTokens sessions)
{
    [Function(nameof(ListOrders))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        int? pageSize = null;
        if (request.Query.TryGetValue("pageSize", out var size))
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                return ApiResponse.Problem(Error.Validation("pageSize", "must be a whole number"));
            pageSize = parsed;
        }
        var continuation = request.Query.TryGetValue("continuationToken", out var token) ? token.ToString() : null;
        return ApiResponse.From(await orders.ListForConsumerAsync(consumer, continuation, pageSize, cancellationToken));
    }
}
