using O2O.Application.Stores;

namespace O2O.Functions.Stores;

/// <summary>Public, like a shop's street address: no login is needed to see which stores are near.</summary>
public sealed class ListNearbyStores(NearbyStores nearby)
{
    [Function(nameof(ListNearbyStores))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stores/nearby")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var stores = await nearby.FindAsync(QueryValues.Number(request, "lat"), QueryValues.Number(request, "lng"),
            QueryValues.All(request, "sku"), cancellationToken);
        return stores.IsSuccess ? ApiResponse.Ok(new { items = stores.Value }) : ApiResponse.Problem(stores.Error);
    }
}
