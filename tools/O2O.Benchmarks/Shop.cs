using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace O2O.Benchmarks;

/// <summary>An answer from the API, how many times the caller had to try, and the trace the call was made in (its traceparent's trace id).</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Body, int Retries, string TraceId = "")
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var code) ? code.GetString() : null;

    public string Text(string property) => Body.GetProperty(property).GetString()!;
}

/// <summary>
/// The app's callers as the run simulates them: consumers on the mini-program, clerks with a store
/// key, the payer at the WeChat Pay sandbox. A request that fails for want of the server (a 5xx,
/// a refused or dropped connection) is tried again with the same Idempotency-Key, as the
/// mini-program does, until <see cref="GiveUpAfter"/>; so is a checkout answered "still being
/// placed" (409 conflict), as its detail asks. Any other answer is returned as it is.
/// </summary>
public sealed class Shop(BenchmarkHost host)
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    public BenchmarkHost Host { get; } = host;

    /// <param name="shareCode">The agent's share the consumer opened the mini-program through, if any.</param>
    public async Task<string> LoginAsync(string openId, string? shareCode = null)
    {
        var answer = await SendAsync(HttpMethod.Post, "auth/wechat-login", bearer: null, new { code = "dev:" + openId, shareCode });
        return answer.Ok ? answer.Text("token") : throw new InvalidOperationException($"login failed: {answer.Status} {answer.Body}");
    }

    public async Task<string> StoreKeyAsync(string storeId)
    {
        var answer = await SendAsync(HttpMethod.Post, $"admin/stores/{storeId}/keys", BenchmarkHost.AdminKey);
        return answer.Ok ? answer.Text("key") : throw new InvalidOperationException($"store key failed: {answer.Status} {answer.Body}");
    }

    public async Task PutAsync(string path, object body)
    {
        var answer = await SendAsync(HttpMethod.Put, path, BenchmarkHost.AdminKey, body);
        if (!answer.Ok) throw new InvalidOperationException($"PUT {path} failed: {answer.Status} {answer.Body}");
    }

    public static object PickupAt(string storeId, string sku, int quantity = 1) => new
    {
        items = new[] { new { sku, quantity } },
        fulfillment = new { mode = "pickup", storeId },
    };

    public static object DeliveryTo((double Lat, double Lng) to, string sku, int quantity = 1) => new
    {
        items = new[] { new { sku, quantity } },
        fulfillment = new
        {
            mode = "delivery",
            address = new { line = "88 Century Avenue, 12F", city = "Shanghai", lat = to.Lat, lng = to.Lng },
            contact = new { name = "Li Lei", phone = "13800138000" },
        },
    };

    /// <summary>The payer confirms in WeChat, and the sandbox notifies the app.</summary>
    /// <summary>The same cart for the slot starting at <paramref name="slotStart"/>.</summary>
    public static object ForSlot(object cart, string slotStart)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(cart))!;
        node["fulfillment"]!["slot"] = slotStart;
        return node;
    }

    public Task<ApiAnswer> PayerCompletesAsync(string orderId) =>
        SendAsync(HttpMethod.Post, new Uri(Host.Api, $"/sandbox/wechatpay/pay/{orderId}").ToString(), bearer: null);

    private static bool Retryable(ApiAnswer answer) =>
        (int)answer.Status >= 500 || (answer.Status == HttpStatusCode.Conflict && answer.Code == "conflict");

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? bearer, object? body = null, string? idempotencyKey = null)
    {
        var started = DateTime.UtcNow;
        // As a traced caller would: one trace per call, its tries included, sent as W3C traceparent.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        for (var retries = 0; ; retries++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (body is not null) request.Content = JsonContent.Create(body);
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await Host.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
                var answer = new ApiAnswer(response.StatusCode, json, retries, traceId);
                if (!Retryable(answer) || DateTime.UtcNow - started > GiveUpAfter) return answer;
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException) when (DateTime.UtcNow - started < GiveUpAfter)
            {
                // The server is unreachable: try again, as a phone on a flaky network would.
            }
            await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(Random.Shared.Next(100, 500)));
        }
    }
}
