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
/// SF same-city (顺丰同城). Requests and pushes are JSON with a `sign` query parameter over the raw
/// body. Our delivery id is SF's shop_order_id; a repeated createorder of one shop_order_id answers
/// the existing sf_order_id (unconfirmed). Pushes: `url_index` rider_status, order_complete,
/// sf_cancel, rider_exception (an exception is read as a failed delivery on its way back; the
/// code SF sends once the goods are back, 22 here, is unconfirmed). Answer
/// {"error_code":0,"error_msg":"success"}. Status query: /open/api/external/getorderstatus by our
/// shop_order_id (order_type 2), answering result.order_status and the rider as operator_name,
/// operator_phone (unconfirmed field names).
/// </summary>
public sealed class SfPlatform(HttpClient http, IOptions<SfSettings> settings, TimeProvider clock) : ICourierPlatform
{
    public const string ReturnedStatus = "22";

    public static readonly TimeSpan MaxWebhookAge = TimeSpan.FromMinutes(10);

    public string Name => CourierProviders.Sf;

    /// <summary>SF signs its pushes with our dev key: one that verifies is SF's word.</summary>
    public bool WebhooksNeedConfirmation => false;

    public async Task<CourierUpdate?> QueryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/open/api/external/getorderstatus", new JsonObject { ["order_id"] = deliveryId, ["order_type"] = 2 }, cancellationToken);
        if (answer.GetProperty("error_code").GetInt32() != 0 || !answer.TryGetProperty("result",
            out var result) || result.ValueKind != JsonValueKind.Object) return null;
        var status = Status(null, JsonFields.Text(result, "order_status"))
                     ?? throw new CourierPlatformException($"sf status query answered order_status '{JsonFields.Text(result, "order_status")}'");
        return new CourierUpdate(Name, deliveryId, JsonFields.Text(result, "sf_order_id"), status, clock.GetUtcNow(),
            JsonFields.Text(result, "operator_name"), JsonFields.Text(result, "operator_phone"),
            JsonFields.Number(result, "rider_lat"), JsonFields.Number(result, "rider_lng"), JsonFields.Text(result, "status_desc"));
    }

    private static CourierStatus? Status(string? urlIndex, string? orderStatus) => (urlIndex, orderStatus) switch
    {
        ("rider_exception", _) => CourierStatus.Returning,
        ("sf_cancel", _) or (_, "2") => CourierStatus.Cancelled,
        (_, ReturnedStatus) => CourierStatus.Returned,
        ("order_complete", _) or (_, "17") => CourierStatus.Delivered,
        (_, "1") => CourierStatus.Waiting,
        (_, "10") => CourierStatus.Assigned,
        (_, "12") => CourierStatus.AtStore,
        (_, "15") => CourierStatus.InTransit,
        _ => null,
    };

    /// <summary>precreateorder, with createorder's body: result.total_price (fen), promise_delivery_time (min), delivery_distance_meter.</summary>
    public async Task<CourierQuote> QuoteAsync(CourierBooking booking, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/open/api/external/precreateorder", OrderBody(booking), cancellationToken);
        if (answer.GetProperty("error_code").GetInt32() != 0 || !answer.TryGetProperty("result", out var result))
            throw new CourierPlatformException($"sf precreateorder answered {answer.GetProperty("error_code")}");
        return new CourierQuote(Name, (long)(JsonFields.Number(result, "total_price") ?? 0), (int?)JsonFields.Number(result, "delivery_distance_meter"),
            (int?)JsonFields.Number(result, "promise_delivery_time"));
    }

    public async Task<string> BookAsync(CourierBooking booking, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/open/api/external/createorder", OrderBody(booking), cancellationToken);
        if (answer.GetProperty("error_code").GetInt32() != 0) throw new CourierPlatformException($"sf createorder answered {answer.GetProperty("error_code")}");
        return answer.GetProperty("result").GetProperty("sf_order_id").GetString()
               ?? throw new CourierPlatformException("sf createorder answered no sf_order_id");
    }

    private JsonObject OrderBody(CourierBooking booking) => new()
    {
        ["shop_id"] = booking.Store.Id,
        ["shop_type"] = 2, // our own store id, registered with SF
        ["shop_order_id"] = booking.DeliveryId,
        ["order_source"] = "o2o",
        ["pay_type"] = 1,
        ["order_time"] = clock.GetUtcNow().ToUnixTimeSeconds(),
        // An appointment to collect at the store (appoint_type 2) when the goods will be ready later (unconfirmed fields).
        ["is_appoint"] = booking.ReadyBy is null ? 0 : 1,
        ["appoint_type"] = booking.ReadyBy is null ? null : 2,
        ["expect_pickup_time"] = booking.ReadyBy?.ToUnixTimeSeconds(),
        ["receive"] = new JsonObject
        {
            ["user_name"] = booking.Contact.Name, ["user_phone"] = booking.Contact.Phone, ["user_address"] = booking.Address.Line,
            ["user_lng"] = booking.Address.Location.Lng.ToString(CultureInfo.InvariantCulture),
            ["user_lat"] = booking.Address.Location.Lat.ToString(CultureInfo.InvariantCulture),
        },
        ["order_detail"] = new JsonObject
        {
            ["total_price"] = booking.GoodsValueFen, ["product_type"] = 1, ["weight_gram"] = 1000,
            ["product_num"] = booking.Lines.Sum(l => l.Quantity), ["product_type_num"] = booking.Lines.Count,
        },
        ["callback_url"] = booking.CallbackUrl,
    };

    public async Task CancelAsync(string deliveryId, string? courierOrderId, string reason, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/open/api/external/cancelorder", new JsonObject
        {
            ["order_id"] = courierOrderId ?? deliveryId, ["order_type"] = courierOrderId is null ? 2 : 1, ["cancel_reason"] = reason,
        }, cancellationToken);
        if (answer.GetProperty("error_code").GetInt32() != 0) throw new CourierPlatformException($"sf cancelorder answered {answer.GetProperty("error_code")}");
    }

    public Result<CourierUpdate> ReadWebhook(CourierWebhook webhook, DateTimeOffset now)
    {
        var s = settings.Value;
        if (!CourierSignatures.Matches(CourierSignatures.Sf(webhook.Body, s.DevId, s.DevKey), webhook.Query.GetValueOrDefault("sign")))
            return Error.Unauthorized("The signature does not match.");
        if (JsonFields.Parse(webhook.Body) is not { } body) return Error.Validation("body", "is not a JSON object");
        var urlIndex = JsonFields.Text(body, "url_index");
        var orderStatus = JsonFields.Text(body, "order_status");
        var status = Status(urlIndex, orderStatus);
        if (status is null) return Error.Validation("order_status", $"'{urlIndex}/{orderStatus}' is not an SF status");
        if (JsonFields.Text(body, "shop_order_id") is not { Length: > 0 } deliveryId) return Error.Validation("shop_order_id", "is required");
        // The signature covers push_time, so a replayed push is recognised by its age.
        if (!long.TryParse(JsonFields.Text(body, "push_time"),
            out var seconds) || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxWebhookAge)
            return Error.Unauthorized("push_time is missing or more than 10 minutes from now.");
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return new CourierUpdate(Name, deliveryId, JsonFields.Text(body, "sf_order_id"), status.Value, at,
            JsonFields.Text(body, "operator_name"), JsonFields.Text(body,
                "operator_phone"), JsonFields.Number(body, "rider_lat"), JsonFields.Number(body, "rider_lng"),
            JsonFields.Text(body, "cancel_reason") ?? JsonFields.Text(body, "status_desc"));
    }

    public CourierAnswer Answer(Error? refused) => refused is null
        ? new CourierAnswer(200, """{"error_code":0,"error_msg":"success"}""")
        : new CourierAnswer(refused.Code == ErrorCodes.Unauthorized ? 401 : 400, JsonSerializer.Serialize(new { error_code = 1, error_msg = refused.Detail }));

    private async Task<JsonElement> CallAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        body["dev_id"] = long.TryParse(s.DevId, out var devId) ? devId : s.DevId;
        body["push_time"] = clock.GetUtcNow().ToUnixTimeSeconds();
        body["version"] = 17;
        var raw = body.ToJsonString();
        var url = $"{s.BaseUrl.TrimEnd('/')}{path}?sign={Uri.EscapeDataString(CourierSignatures.Sf(raw, s.DevId, s.DevKey))}";
        using var content = new StringContent(raw, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(url), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new CourierPlatformException($"sf {path} answered {(int)response.StatusCode}");
        return JsonDocument.Parse(text).RootElement;
    }
}
