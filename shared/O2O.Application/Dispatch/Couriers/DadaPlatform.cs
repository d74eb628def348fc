using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using O2O.Application.Platform;
using O2O.Domain.Common;
using O2O.Domain.Dispatch;
using O2O.Domain.Stores;

namespace O2O.Application.Dispatch.Couriers;

/// <summary>
/// Dada (达达). Requests: JSON envelopes {app_key, timestamp, format, v, source_id, body (the
/// business JSON as a string), signature}. Our delivery id is Dada's origin_id. A delivery is
/// priced with queryDeliverFee (addOrder's body) and booked with addAfterQuery by the quote's
/// deliveryNo, valid 3 minutes; a repeated booking of one origin_id answers "already exists"
/// (code 2105 in Dada's docs, unconfirmed), which is the same booking. Webhooks: JSON signed over client_id, order_id, update_time with no
/// secret, so anyone who knows an order id can sign one, with any status. A webhook is therefore
/// only a hint: one older than <see cref="MaxWebhookAge"/> is refused, and what is applied is the
/// answer of Dada's signed order query (/api/order/status/query: result.statusCode,
/// transporterName, transporterPhone, transporterLat/Lng). The answer Dada expects is
/// unconfirmed; it gets a 200 with {"status":"ok"}.
/// </summary>
public sealed class DadaPlatform(HttpClient http, IOptions<DadaSettings> settings, TimeProvider clock) : ICourierPlatform
{
    public const int AlreadyExists = 2105;

    /// <summary>Dada's own retries of a push come within minutes; a push older than this is a replay.</summary>
    public static readonly TimeSpan MaxWebhookAge = TimeSpan.FromMinutes(10);

    public bool WebhooksNeedConfirmation => true;

    public string Name => CourierProviders.Dada;

    /// <summary>How long Dada holds a quote's deliveryNo.</summary>
    public static readonly TimeSpan QuoteValidFor = TimeSpan.FromMinutes(3);

    /// <summary>queryDeliverFee, with addOrder's body: result.fee (yuan, after coupons), distance (m), deliveryNo. Dada's quote has no time.</summary>
    public async Task<CourierQuote> QuoteAsync(CourierBooking booking, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var answer = await CallAsync("/api/order/queryDeliverFee", OrderBody(booking), cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0 || !answer.TryGetProperty("result", out var result))
            throw new CourierPlatformException($"dada queryDeliverFee answered {answer.GetProperty("code")}");
        return new CourierQuote(Name, (long)Math.Round((JsonFields.Number(result, "fee") ?? 0) * 100), (int?)JsonFields.Number(result, "distance"), null,
            JsonFields.Text(result, "deliveryNo"), now + QuoteValidFor);
    }

    /// <summary>
    /// Books by quote: addAfterQuery with the checkout's deliveryNo while it holds, else with a fresh
    /// one (asked once). A repeat of a delivery already booked answers "already exists", the same booking.
    /// </summary>
    public async Task<string> BookAsync(CourierBooking booking, CancellationToken cancellationToken)
    {
        var quote = booking.Quote is { Provider: CourierProviders.Dada } held && held.Books(booking.Store.Id, booking.DeliveryId, clock.GetUtcNow())
            ? held
            : await QuoteAsync(booking, cancellationToken);
        var answer = await CallAsync("/api/order/addAfterQuery", new JsonObject { ["deliveryNo"] = quote.Token }, cancellationToken);
        var code = answer.GetProperty("code").GetInt32();
        if (code != 0 && code != AlreadyExists) throw new CourierPlatformException($"dada addAfterQuery answered {code}: {answer.GetProperty("msg")}");
        return booking.DeliveryId; // Dada names the order by our origin_id; its own id comes with the webhooks
    }

    private JsonObject OrderBody(CourierBooking booking) => new()
    {
        ["shop_no"] = booking.Store.Id,
        ["origin_id"] = booking.DeliveryId,
        ["cargo_price"] = booking.GoodsValueFen / 100m,
        ["is_prepay"] = 0,
        ["receiver_name"] = booking.Contact.Name,
        ["receiver_phone"] = booking.Contact.Phone,
        ["receiver_address"] = booking.Address.Line,
        ["receiver_lat"] = booking.Address.Location.Lat,
        ["receiver_lng"] = booking.Address.Location.Lng,
        ["callback"] = booking.CallbackUrl,
        ["cargo_weight"] = 1,
        // Published to riders this many seconds since the epoch, so one arrives as the goods are ready (unconfirmed field).
        ["delay_publish_time"] = booking.ReadyBy is { } readyBy ? PublishTime(readyBy) : null,
    };

    /// <summary>Riders need about a quarter of an hour to reach the store: publish that long before the goods are ready, never in the past.</summary>
    private long? PublishTime(DateTimeOffset readyBy)
    {
        var publishAt = readyBy - TimeSpan.FromMinutes(15);
        return publishAt > clock.GetUtcNow() ? publishAt.ToUnixTimeSeconds() : null;
    }

    public async Task CancelAsync(string deliveryId, string? courierOrderId, string reason, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/api/order/formalCancel", new JsonObject
        {
            ["order_id"] = deliveryId, ["cancel_reason_id"] = 10000, ["cancel_reason"] = reason,
        }, cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0) throw new CourierPlatformException($"dada formalCancel answered {answer.GetProperty("code")}");
    }

    public Result<CourierUpdate> ReadWebhook(CourierWebhook webhook, DateTimeOffset now)
    {
        if (JsonFields.Parse(webhook.Body) is not { } body) return Error.Validation("body", "is not a JSON object");
        var clientId = JsonFields.Text(body, "client_id");
        var orderId = JsonFields.Text(body, "order_id");
        var updateTime = JsonFields.Text(body, "update_time");
        if (clientId is null || orderId is null || updateTime is null || !long.TryParse(updateTime, out var seconds))
            return Error.Validation("body", "client_id, order_id and update_time are required");
        if (!CourierSignatures.Matches(CourierSignatures.DadaWebhook(clientId, orderId, updateTime), JsonFields.Text(body, "signature")))
            return Error.Unauthorized("The signature does not match.");
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - at).Duration() > MaxWebhookAge) return Error.Unauthorized("update_time is more than 10 minutes from now.");
        var status = Status(JsonFields.Text(body, "order_status"));
        if (status is null) return Error.Validation("order_status", $"'{JsonFields.Text(body, "order_status")}' is not a Dada status");
        return new CourierUpdate(Name, orderId, clientId, status.Value, at,
            JsonFields.Text(body, "dm_name"), JsonFields.Text(body, "dm_mobile"), Reason: JsonFields.Text(body, "cancel_reason"));
    }

    public async Task<CourierUpdate?> QueryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/api/order/status/query", new JsonObject { ["order_id"] = deliveryId }, cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0 || !answer.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            return null;
        var status = Status(JsonFields.Text(result, "statusCode"))
                     ?? throw new CourierPlatformException($"dada status query answered status '{JsonFields.Text(result, "statusCode")}'");
        // The courier order id stays the one the booking recorded: nothing unsigned may change it.
        return new CourierUpdate(Name, deliveryId, null, status, clock.GetUtcNow(),
            JsonFields.Text(result, "transporterName"), JsonFields.Text(result, "transporterPhone"),
            JsonFields.Number(result, "transporterLat"), JsonFields.Number(result, "transporterLng"), JsonFields.Text(result, "cancelReason"));
    }

    private static CourierStatus? Status(string? code) =>
        code switch
        {
            "1" => CourierStatus.Waiting,
            "2" or "8" => CourierStatus.Assigned,
            "100" => CourierStatus.AtStore,
            "3" => CourierStatus.InTransit,
            "4" => CourierStatus.Delivered,
            "5" or "7" or "1000" => CourierStatus.Cancelled,
            "9" => CourierStatus.Returning,
            "10" => CourierStatus.Returned,
            _ => null,
        };

    public CourierAnswer Answer(Error? refused) => refused is null
        ? new CourierAnswer(200, """{"status":"ok"}""")
        : new CourierAnswer(refused.Code == ErrorCodes.Unauthorized ? 401 : 400, JsonSerializer.Serialize(new { status = "fail", msg = refused.Detail }));

    private async Task<JsonElement> CallAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var parameters = new Dictionary<string, string>
        {
            ["app_key"] = s.AppKey,
            ["timestamp"] = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["format"] = "json",
            ["v"] = "1.0",
            ["source_id"] = s.SourceId,
            ["body"] = body.ToJsonString(),
        };
        parameters["signature"] = CourierSignatures.DadaRequest(s.AppSecret, parameters);
        using var content = new StringContent(JsonSerializer.Serialize(parameters), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(new Uri(s.BaseUrl.TrimEnd('/') + "/"), path.TrimStart('/')), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new CourierPlatformException($"dada {path} answered {(int)response.StatusCode}");
        return JsonDocument.Parse(text).RootElement;
    }
}
