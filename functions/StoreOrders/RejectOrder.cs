using O2O.Application.StoreOrders;
using O2O.Application.Stores;

namespace O2O.Functions.StoreOrders;

/// <summary>The store cannot serve the order: it goes to the next store that can, or is cancelled and refunded.</summary>
public sealed class RejectOrder(Rerouting rerouting, StoreKeys keys)
{
    [Function(nameof(RejectOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/stores/{storeId}/orders/{orderId}/reject")] HttpRequest request,
        string storeId,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!await keys.OpensAsync(storeId, request, cancellationToken)) return StoreAccess.Denied;
        return await JsonBody.AnswerAsync(request,
            (RejectRequest body) => rerouting.RejectAsync(storeId, orderId, body.Reason, cancellationToken), cancellationToken);
    }

    public sealed record RejectRequest(string? Reason);
}
