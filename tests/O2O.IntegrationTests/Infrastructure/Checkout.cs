using System.Net.Http.Json;

namespace O2O.IntegrationTests.Infrastructure;

/// <summary>Order bodies as the mini-program sends them.</summary>
public static class Checkout
{
    public static object PickupAt(string storeId, params (string Sku, int Quantity)[] items) => new
    {
        items = items.Select(i => new { sku = i.Sku, quantity = i.Quantity }),
        fulfillment = new { mode = "pickup", storeId },
    };

    public static object PickupNear((double Lat, double Lng) near, params (string Sku, int Quantity)[] items) => new
    {
        items = items.Select(i => new { sku = i.Sku, quantity = i.Quantity }),
        fulfillment = new { mode = "pickup", near = new { lat = near.Lat, lng = near.Lng } },
    };

    public static object Delivery((double Lat, double Lng) to, params (string Sku, int Quantity)[] items) => new
    {
        items = items.Select(i => new { sku = i.Sku, quantity = i.Quantity }),
        fulfillment = new
        {
            mode = "delivery",
            address = new { line = "88 Century Avenue, 12F", city = "Shanghai", lat = to.Lat, lng = to.Lng },
            contact = new { name = "Li Lei", phone = "13800138000" },
        },
    };

    public static Task<HttpResponseMessage> PlaceAsync(this HttpClient consumer, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return consumer.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PlaceRawAsync(this HttpClient consumer, string json, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return consumer.SendAsync(request);
    }
}
