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

    /// <summary>The same order for the slot starting at <paramref name="slotStart"/>, as GET /api/slots listed it.</summary>
    public static object ForSlot(this object body, string slotStart)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!;
        node["fulfillment"]!["slot"] = slotStart;
        return node;
    }

    public static Task<HttpResponseMessage> PlaceAsync(this HttpClient consumer, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return consumer.SendAsync(request);
    }

    /// <summary>Places an order that must be accepted, and answers its id.</summary>
    public static async Task<string> PlaceOrderAsync(this HttpClient consumer, object body) =>
        (await (await consumer.PlaceAsync(body)).ReadOkAsync(System.Net.HttpStatusCode.Created)).GetProperty("orderId").GetString()!;

    /// <summary>Pays as the mini-program would: prepay, the payer confirms in the WeChat Pay sandbox, and the notification lands.</summary>
    public static async Task PayAsync(this HttpClient consumer, TestApp app, string orderId)
    {
        await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync();
        await (await app.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}", null)).ReadOkAsync();
        for (var i = 0; i < 300; i++)
        {
            var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
            if (order.GetProperty("payment").GetProperty("status").GetString() == "Paid") return;
            await Task.Delay(100);
        }
        Assert.Fail($"order {orderId} was never paid");
    }

    /// <summary>A pickup placed and paid by the consumer, accepted and made ready by the clerk: its id and the code the consumer sees.</summary>
    public static async Task<(string OrderId, string Code)> ReadyPickupAsync(
        this HttpClient consumer, TestApp app, HttpClient clerk, string store, string sku, int quantity = 1)
    {
        var orderId = await consumer.PlaceOrderAsync(PickupAt(store, (sku, quantity)));
        await consumer.PayAsync(app, orderId);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        return (orderId, order.GetProperty("pickup").GetProperty("code").GetString()!);
    }

    /// <summary>The clerk's two steps: accept the order, then mark it ready (a pickup gets its code, a delivery goes to dispatch).</summary>
    public static async Task AcceptAndReadyAsync(this HttpClient clerk, string store, string orderId)
    {
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
    }

    /// <summary>A pickup taken all the way: placed, paid, readied, and handed over at the counter. Its id and the code it was collected with.</summary>
    public static async Task<(string OrderId, string Code)> PickedUpAsync(
        this HttpClient consumer, TestApp app, HttpClient clerk, string store, string sku, int quantity = 1)
    {
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, sku, quantity);
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();
        return (orderId, code);
    }

    public static Task<HttpResponseMessage> PlaceRawAsync(this HttpClient consumer, string json, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return consumer.SendAsync(request);
    }
}
