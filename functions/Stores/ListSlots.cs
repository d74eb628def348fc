using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>
/// Public, like the store picker: the pickup slots or delivery windows a buyer may choose for a
/// cart (?sku=…) at a store (?storeId=, pickup) or a place (?lat=&amp;lng=), with the room left in each.
/// </summary>
public sealed class ListSlots(SlotOffers slots)
{
    [Function(nameof(ListSlots))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/slots")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var found = await slots.FindAsync(QueryValues.Text(request, "mode"), QueryValues.Text(request, "storeId"),
            QueryValues.Number(request, "lat"), QueryValues.Number(request, "lng"), QueryValues.All(request, "sku"), cancellationToken);
        return found.IsSuccess ? ApiResponse.Ok(found.Value) : ApiResponse.Problem(found.Error);
    }
}
