using System.Globalization;
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
        var query = request.Query;
        var stores = await nearby.FindAsync(Number(query["lat"]), Number(query["lng"]),
            query["sku"].Where(s => s is not null).Select(s => s!).ToList(), cancellationToken);
        return stores.IsSuccess ? ApiResponse.Ok(new { items = stores.Value }) : ApiResponse.Problem(stores.Error);
    }

    /// <summary>A missing or malformed number reads as null, which the service reports as the field's error.</summary>
    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
