namespace O2O.IntegrationTests.AfterSales;

/// <summary>After-sales requests as the mini-program, the store console and head office send them.</summary>
public static class AfterSalesClient
{
    public static object Refund(params (string Sku, int Quantity)[] lines) => Body("refund", lines);

    public static object Return(params (string Sku, int Quantity)[] lines) => Body("return", lines);

    private static object Body(string type, (string Sku, int Quantity)[] lines) =>
        new
        {
            type, lines = lines.Select(l => new
            {
                sku = l.Sku,
                quantity = l.Quantity
            }), reason = "not as described", photos = new[] { "https://img.example.com/1.jpg" }
        };

    public static Task<HttpResponseMessage> AskAsync(this HttpClient consumer, string orderId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"orders/{orderId}/after-sales") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return consumer.SendAsync(request);
    }

    /// <summary>Opens a case that must be opened, and answers it.</summary>
    public static async Task<JsonElement> OpenCaseAsync(this HttpClient consumer, string orderId, object body) =>
        await (await consumer.AskAsync(orderId, body)).ReadOkAsync(HttpStatusCode.Created);

    public static async Task<JsonElement[]> CasesAsync(this HttpClient consumer, string orderId) =>
        [.. (await (await consumer.GetAsync($"orders/{orderId}/after-sales")).ReadOkAsync()).EnumerateArray()];

    /// <summary>Waits until the case reaches <paramref name="stage"/> (a refund goes through the queue, WeChat Pay and its notification).</summary>
    public static async Task<JsonElement> EventuallyAsync(this HttpClient consumer, string orderId, string caseId, string stage)
    {
        JsonElement found = default;
        for (var i = 0; i < 300; i++)
        {
            found = (await consumer.CasesAsync(orderId)).Single(c => c.GetProperty("caseId").GetString() == caseId);
            if (found.GetProperty("stage").GetString() == stage) return found;
            await Task.Delay(100);
        }
        Assert.Fail($"case {caseId} is {found.GetProperty("stage")}, never {stage}");
        return found;
    }

    public static Task<HttpResponseMessage> AnswerAsync(this HttpClient clerk, string storeId, string caseId, string action, object? body = null) =>
        clerk.PostAsJsonAsync($"stores/{storeId}/after-sales/{caseId}/{action}", body ?? new { });

    public static string Id(this JsonElement c) => c.GetProperty("caseId").GetString()!;

    public static string Stage(this JsonElement c) => c.GetProperty("stage").GetString()!;
}
