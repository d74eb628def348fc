using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using O2O.Application.Platform;
using O2O.Domain.Common;
using O2O.Domain.Dispatch;
using O2O.Domain.Stores;

namespace O2O.Application.Dispatch.Couriers;

/// <summary>
/// Meituan delivery (美团配送). Requests and webhooks are form fields signed with SHA1 over the
/// sorted parameters; a webhook older than 10 minutes is refused. Our delivery id is Meituan's
/// order_id; its numeric delivery_id is derived from it, so a repeated createByShop names the same
/// delivery (Meituan answers the existing one; unconfirmed). Answer: {"code":0}. Status query:
/// /api/order/status/query by delivery_id, answering data.status, courier_name, courier_phone
/// (the webhook's codes and names; unconfirmed beyond that).
/// </summary>
public sealed class MeituanPlatform(HttpClient http, IOptions<MeituanSettings> settings, TimeProvider clock) : ICourierPlatform
{
    public static readonly TimeSpan MaxWebhookAge = TimeSpan.FromMinutes(10);

    public string Name => CourierProviders.Meituan;

    /// <summary>Meituan signs its webhooks with our secret: one that verifies is Meituan's word.</summary>
    public bool WebhooksNeedConfirmation => false;

    public async Task<CourierUpdate?> QueryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/api/order/status/query", new Dictionary<string, string?> { ["delivery_id"] = NumericId(deliveryId) }, cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0 || !answer.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return null;
        var status = Status(JsonFields.Text(data, "status"))
                     ?? throw new CourierPlatformException($"meituan status query answered status '{JsonFields.Text(data, "status")}'");
        return new CourierUpdate(Name, deliveryId, JsonFields.Text(data, "mt_peisong_id"), status, clock.GetUtcNow(),
            JsonFields.Text(data, "courier_name"), JsonFields.Text(data, "courier_phone"), Reason: JsonFields.Text(data, "cancel_reason"));
    }

    private static CourierStatus? Status(string? code) => code switch
    {
        "0" => CourierStatus.Waiting,
        "20" => CourierStatus.Assigned,
        "30" => CourierStatus.InTransit,
        "50" => CourierStatus.Delivered,
        "99" => CourierStatus.Cancelled,
        _ => null,
    };

    /// <summary>The service package we book (4011: within the hour); Meituan's promised time is the package's.</summary>
    private const string ServiceCode = "4011";
    private const int ServiceMinutes = 60;

    /// <summary>preCreateByShop, with createByShop's fields: data.delivery_fee (yuan), delivery_distance (m); the time is the package's.</summary>
    public async Task<CourierQuote> QuoteAsync(CourierBooking booking, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/api/order/preCreateByShop", OrderFields(booking), cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0 || !answer.TryGetProperty("data", out var data))
            throw new CourierPlatformException($"meituan preCreateByShop answered {answer.GetProperty("code")}");
        return new CourierQuote(Name, (long)Math.Round((JsonFields.Number(data, "delivery_fee") ?? 0) * 100),
            (int?)JsonFields.Number(data, "delivery_distance"), ServiceMinutes);
    }

    public async Task<string> BookAsync(CourierBooking booking, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/api/order/createByShop", OrderFields(booking), cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0) throw new CourierPlatformException($"meituan createByShop answered {answer.GetProperty("code")}");
        return answer.GetProperty("data").GetProperty("mt_peisong_id").GetString()
               ?? throw new CourierPlatformException("meituan createByShop answered no mt_peisong_id");
    }

    private static Dictionary<string, string?> OrderFields(CourierBooking booking) => new()
    {
        ["delivery_id"] = NumericId(booking.DeliveryId),
        ["order_id"] = booking.DeliveryId,
        ["shop_id"] = booking.Store.Id,
        ["delivery_service_code"] = ServiceCode,
        ["receiver_name"] = booking.Contact.Name,
        ["receiver_address"] = booking.Address.Line,
        ["receiver_phone"] = booking.Contact.Phone,
        // Meituan takes coordinates as integers, degrees × 10^6 (GCJ-02, coordinate_type 0).
        ["receiver_lng"] = Micro(booking.Address.Location.Lng),
        ["receiver_lat"] = Micro(booking.Address.Location.Lat),
        ["coordinate_type"] = "0",
        ["goods_value"] = (booking.GoodsValueFen / 100m).ToString("0.00", CultureInfo.InvariantCulture),
        ["goods_weight"] = "1",
        ["expected_pickup_time"] = booking.ReadyBy?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    public async Task CancelAsync(string deliveryId, string? courierOrderId, string reason, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("/api/order/delete", new Dictionary<string, string?>
        {
            ["delivery_id"] = NumericId(deliveryId), ["mt_peisong_id"] = courierOrderId, ["cancel_reason_id"] = "101", ["cancel_reason"] = reason,
        }, cancellationToken);
        if (answer.GetProperty("code").GetInt32() != 0) throw new CourierPlatformException($"meituan delete answered {answer.GetProperty("code")}");
    }

    public Result<CourierUpdate> ReadWebhook(CourierWebhook webhook, DateTimeOffset now)
    {
        var form = FormFields.Parse(webhook.Body);
        if (!CourierSignatures.Matches(CourierSignatures.Meituan(settings.Value.Secret, form), form.GetValueOrDefault("sign")))
            return Error.Unauthorized("The signature does not match.");
        if (!long.TryParse(form.GetValueOrDefault("timestamp"),
            out var seconds) || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxWebhookAge)
            return Error.Unauthorized("The timestamp is missing or more than 10 minutes from now.");
        var status = Status(form.GetValueOrDefault("status"));
        if (status is null) return Error.Validation("status", $"'{form.GetValueOrDefault("status")}' is not a Meituan status");
        if (form.GetValueOrDefault("order_id") is not { Length: > 0 } orderId) return Error.Validation("order_id", "is required");
        return new CourierUpdate(Name, orderId, form.GetValueOrDefault("mt_peisong_id"), status.Value, DateTimeOffset.FromUnixTimeSeconds(seconds),
            form.GetValueOrDefault("courier_name"), form.GetValueOrDefault("courier_phone"), Reason: form.GetValueOrDefault("cancel_reason"));
    }

    public CourierAnswer Answer(Error? refused) => refused is null
        ? new CourierAnswer(200, """{"code":0}""")
        : new CourierAnswer(refused.Code == ErrorCodes.Unauthorized ? 401 : 400, JsonSerializer.Serialize(new { code = 1, message = refused.Detail }));

    /// <summary>Meituan's delivery_id is a positive long, unique per delivery: the first 63 bits of a hash of our id.</summary>
    public static string NumericId(string deliveryId) =>
        (BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId)), 0) & long.MaxValue).ToString(CultureInfo.InvariantCulture);

    private static string Micro(double degrees) => ((long)Math.Round(degrees * 1_000_000)).ToString(CultureInfo.InvariantCulture);

    private async Task<JsonElement> CallAsync(string path, Dictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        parameters["appkey"] = s.AppKey;
        parameters["timestamp"] = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        parameters["version"] = "1.0";
        parameters["sign"] = CourierSignatures.Meituan(s.Secret, parameters);
        using var content = new FormUrlEncodedContent(parameters.Where(p => p.Value is not null)!);
        using var response = await http.PostAsync(new Uri(new Uri(s.BaseUrl.TrimEnd('/') + "/"), path.TrimStart('/')), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new CourierPlatformException($"meituan {path} answered {(int)response.StatusCode}");
        return JsonDocument.Parse(text).RootElement;
    }
}

/// <summary>application/x-www-form-urlencoded fields, as the platform sent them (UTF-8).</summary>
public static class FormFields
{
    public static Dictionary<string, string?> Parse(string body)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            fields[name] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return fields;
    }
}
