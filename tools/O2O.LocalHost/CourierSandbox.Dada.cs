using System.Text.Json;
using System.Text.Json.Nodes;
using O2O.Application.Dispatch.Couriers;
using O2O.Domain.Dispatch;
using O2O.Domain.Stores;

namespace O2O.LocalHost;

/// <summary>The Dada platform's side of the sandbox: quote, book by quote, cancel and status query.</summary>
public sealed partial class CourierSandbox
{
    // ---- Dada: JSON envelope signed MD5(secret + sorted name+value + secret), uppercase.

    /// <summary>Dada's quote: a price for addOrder's body, and a deliveryNo that books it within three minutes.</summary>
    private Task<object> DadaQuoteAsync(HttpContext context, string raw)
    {
        if (DadaBody(raw) is not { } body) return DadaSignatureRefused();
        var deliveryNo = "Dada" + Guid.NewGuid().ToString("N")[..16];
        _dadaQuotes[deliveryNo] = (body, clock.GetUtcNow() + DadaPlatform.QuoteValidFor);
        _quotes.Enqueue((CourierProviders.Dada, body["origin_id"]!.GetValue<string>()));
        return Task.FromResult<object>(new
        {
            status = "success", code = 0, msg = "成功",
            result = new { distance = 1200, deliveryNo, fee = 6.5, deliverFee = 7.0, couponFee = 0.5, tips = 0, insuranceFee = 0 },
        });
    }

    /// <summary>Books a quote by its deliveryNo; an unknown or expired one is refused (code 2076 here: Dada's own code is unconfirmed).</summary>
    private Task<object> DadaAddAfterQueryAsync(HttpContext context, string raw)
    {
        if (DadaBody(raw) is not { } request) return DadaSignatureRefused();
        if (!_dadaQuotes.TryGetValue(request["deliveryNo"]?.GetValue<string>() ?? "", out var quote) || clock.GetUtcNow() >= quote.ValidUntil)
            return Task.FromResult<object>(new { status = "fail", code = 2076, msg = "deliveryNo 已过期" });
        var body = quote.Body;
        var deliveryId = body["origin_id"]!.GetValue<string>();
        var existed = _bookings.ContainsKey(deliveryId);
        var booking = Book(CourierProviders.Dada, deliveryId,
            "DD" + Math.Abs(deliveryId.GetHashCode(StringComparison.Ordinal)), body["shop_no"]!.GetValue<string>(),
            body["callback"]!.GetValue<string>(), (long)((body["cargo_price"]?.GetValue<decimal>() ?? 0) * 100));
        return Task.FromResult<object>(existed
            ? new { status = "fail", code = DadaPlatform.AlreadyExists, msg = "订单已存在" }
            : new { status = "success", code = 0, msg = "成功" });
    }

    private Task<object> DadaCancelAsync(HttpContext context, string raw)
    {
        if (DadaBody(raw) is not { } body) return DadaSignatureRefused();
        CancelBooking(body["order_id"]!.GetValue<string>());
        return Task.FromResult<object>(new { status = "success", code = 0, msg = "成功" });
    }

    /// <summary>Dada's order query: the delivery's real status and rider, for a signed request; code 2004 for an unknown order (unconfirmed code).</summary>
    private Task<object> DadaQueryAsync(HttpContext context, string raw)
    {
        if (DadaBody(raw) is not { } body) return DadaSignatureRefused();
        if (!_bookings.TryGetValue(body["order_id"]!.GetValue<string>(), out var booking) || booking.Provider != CourierProviders.Dada)
            return Task.FromResult<object>(new { status = "fail", code = 2004, msg = "订单不存在" });
        return Task.FromResult<object>(new
        {
            status = "success", code = 0, msg = "成功",
            result = new
            {
                orderId = booking.DeliveryId, statusCode = DadaCode(booking.Status), statusMsg = booking.Status.ToString(),
                transporterName = booking.RiderName ?? "", transporterPhone = booking.RiderPhone ?? "",
                cancelReason = booking.Status == CourierStatus.Cancelled ? "骑士取消" : "",
            },
        });
    }

    private static Task<object> DadaSignatureRefused() =>
        Task.FromResult<object>(Results.Json(new { status = "fail", code = 2003, msg = "签名错误" }, statusCode: 401));

    private static int DadaCode(CourierStatus status) => status switch
    {
        CourierStatus.Waiting => 1,
        CourierStatus.Assigned => 2,
        CourierStatus.AtStore => 100,
        CourierStatus.InTransit => 3,
        CourierStatus.Delivered => 4,
        CourierStatus.Cancelled => 5,
        CourierStatus.Returning => 9,
        _ => 10,
    };

    private JsonNode? DadaBody(string raw)
    {
        var envelope = JsonSerializer.Deserialize<Dictionary<string, string>>(raw)!;
        var expected = CourierSignatures.DadaRequest(dada.Value.AppSecret, envelope);
        return envelope.GetValueOrDefault("app_key") == dada.Value.AppKey && CourierSignatures.Matches(expected, envelope.GetValueOrDefault("signature"))
            ? JsonNode.Parse(envelope["body"])
            : null;
    }
}
