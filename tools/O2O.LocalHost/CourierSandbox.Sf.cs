using System.Globalization;
using System.Text.Json.Nodes;
using O2O.Application.Dispatch.Couriers;
using O2O.Domain.Dispatch;
using O2O.Domain.Stores;

namespace O2O.LocalHost;

/// <summary>The SF platform's side of the sandbox: create, cancel and status query.</summary>
public sealed partial class CourierSandbox
{
    // ---- SF: JSON with ?sign=base64(md5hex(body&devId&devKey)).

    private Task<object> SfCreateAsync(HttpContext context, string raw)
    {
        if (SfBody(context, raw) is not { } body) return Task.FromResult<object>(Results.Json(new
        {
            error_code = 1001,
            error_msg = "sign error"
        }, statusCode: 401));
        var deliveryId = body["shop_order_id"]!.GetValue<string>();
        var booking = Book(CourierProviders.Sf, deliveryId,
            "SF" + Math.Abs(deliveryId.GetHashCode(StringComparison.Ordinal)), body["shop_id"]!.GetValue<string>(),
            body["callback_url"]?.GetValue<string>() ?? Callback(CourierProviders.Sf),
            body["order_detail"]?["total_price"]?.GetValue<long>() ?? 0, body["order_detail"]?["product_num"]?.GetValue<int>());
        return Task.FromResult<object>(new
        {
            error_code = 0, error_msg = "success",
            result = new { sf_order_id = booking.CourierOrderId, shop_order_id = deliveryId }
        });
    }

    /// <summary>SF's pre-create: the price in fen, the promised minutes and the expected arrival for createorder's body; nothing is booked.</summary>
    private Task<object> SfQuoteAsync(HttpContext context, string raw)
    {
        if (SfBody(context, raw) is not { } body)
            return Task.FromResult<object>(Results.Json(new { error_code = 1001, error_msg = "sign error" }, statusCode: 401));
        _quotes.Enqueue((CourierProviders.Sf, body["shop_order_id"]!.GetValue<string>()));
        const int promiseMinutes = 35;
        return Task.FromResult<object>(new
        {
            error_code = 0, error_msg = "success",
            result = new
            {
                total_price = 850, estimate_pay_money = 850, delivery_distance_meter = 1200, promise_delivery_time = promiseMinutes,
                expect_time = clock.GetUtcNow().AddMinutes(promiseMinutes).ToUnixTimeSeconds(),
            },
        });
    }

    private Task<object> SfCancelAsync(HttpContext context, string raw)
    {
        if (SfBody(context, raw) is not { } body) return Task.FromResult<object>(Results.Json(new
        {
            error_code = 1001,
            error_msg = "sign error"
        }, statusCode: 401));
        var id = body["order_id"]!.GetValue<string>();
        var booking = _bookings.Values.FirstOrDefault(b => b.CourierOrderId == id || b.DeliveryId == id);
        if (booking is not null) CancelBooking(booking.DeliveryId);
        return Task.FromResult<object>(new { error_code = 0, error_msg = "success" });
    }

    /// <summary>SF's status query by our shop_order_id (order_type 2): the delivery's real status and rider; error_code 1004 when unknown (unconfirmed
    /// code).</summary>
    private Task<object> SfQueryAsync(HttpContext context, string raw)
    {
        if (SfBody(context, raw) is not { } body) return Task.FromResult<object>(Results.Json(new
        {
            error_code = 1001,
            error_msg = "sign error"
        }, statusCode: 401));
        var id = body["order_id"]!.GetValue<string>();
        var booking = _bookings.Values.FirstOrDefault(b => b.Provider == CourierProviders.Sf && (b.DeliveryId == id || b.CourierOrderId == id));
        if (booking is null) return Task.FromResult<object>(new { error_code = 1004, error_msg = "order not exist" });
        return Task.FromResult<object>(new
        {
            error_code = 0, error_msg = "success",
            result = new
            {
                sf_order_id = booking.CourierOrderId, shop_order_id = booking.DeliveryId, order_status = SfCode(booking.Status).OrderStatus,
                status_desc = booking.Status.ToString(), operator_name = booking.RiderName ?? "", operator_phone = booking.RiderPhone ?? "",
            },
        });
    }

    private JsonNode? SfBody(HttpContext context, string raw) =>
        CourierSignatures.Matches(CourierSignatures.Sf(raw, sf.Value.DevId, sf.Value.DevKey),
            context.Request.Query["sign"].ToString()) ? JsonNode.Parse(raw) : null;


    /// <summary>SF's push kind and order_status for a status (a return in progress is an exception push on a delivering order).</summary>
    private static (string UrlIndex, int OrderStatus) SfCode(CourierStatus status) => status switch
    {
        CourierStatus.Waiting => ("rider_status", 1),
        CourierStatus.Assigned => ("rider_status", 10),
        CourierStatus.AtStore => ("rider_status", 12),
        CourierStatus.InTransit => ("rider_status", 15),
        CourierStatus.Delivered => ("order_complete", 17),
        CourierStatus.Cancelled => ("sf_cancel", 2),
        CourierStatus.Returning => ("rider_exception", 15),
        _ => ("rider_status", int.Parse(SfPlatform.ReturnedStatus, CultureInfo.InvariantCulture)),
    };
}
