using System.Globalization;
using O2O.Application.Dispatch.Couriers;
using O2O.Domain.Dispatch;
using O2O.Domain.Stores;

namespace O2O.LocalHost;

/// <summary>The Meituan platform's side of the sandbox: create, delete and status query.</summary>
public sealed partial class CourierSandbox
{
    // ---- Meituan: form fields signed SHA1(secret + sorted name+value).

    private Task<object> MeituanCreateAsync(HttpContext context, string raw)
    {
        if (MeituanForm(raw) is not { } form) return Task.FromResult<object>(Results.Json(new { code = 4, message = "签名错误" }, statusCode: 401));
        var deliveryId = form["order_id"]!;
        var booking = Book(CourierProviders.Meituan, deliveryId, "MT" + form["delivery_id"], form["shop_id"]!, Callback(CourierProviders.Meituan),
            (long)(decimal.Parse(form.GetValueOrDefault("goods_value") ?? "0", CultureInfo.InvariantCulture) * 100));
        return Task.FromResult<object>(new
        {
            code = 0, message = "成功", data = new { delivery_id = form["delivery_id"], mt_peisong_id = booking.CourierOrderId, order_id = deliveryId },
        });
    }

    /// <summary>Meituan's pre-create: a price (yuan) and a distance for createByShop's fields; nothing is booked.</summary>
    private Task<object> MeituanQuoteAsync(HttpContext context, string raw)
    {
        if (MeituanForm(raw) is not { } form) return Task.FromResult<object>(Results.Json(new { code = 4, message = "签名错误" }, statusCode: 401));
        _quotes.Enqueue((CourierProviders.Meituan, form["order_id"]!));
        return Task.FromResult<object>(new
        {
            code = 0, message = "成功",
            data = new { delivery_distance = 1200, delivery_fee = 7.5, base_delivery_fee = 8.0, coupons_id = "", coupons_amount = 0.5 },
        });
    }

    private Task<object> MeituanDeleteAsync(HttpContext context, string raw)
    {
        if (MeituanForm(raw) is not { } form) return Task.FromResult<object>(Results.Json(new { code = 4, message = "签名错误" }, statusCode: 401));
        var booking = _bookings.Values.FirstOrDefault(b =>
            b.CourierOrderId == form.GetValueOrDefault("mt_peisong_id") || b.CourierOrderId == "MT" + form.GetValueOrDefault("delivery_id"));
        if (booking is not null) CancelBooking(booking.DeliveryId);
        return Task.FromResult<object>(new { code = 0, message = "成功" });
    }

    /// <summary>Meituan's status query by delivery_id: the delivery's real status and courier; code 1 for an unknown delivery (unconfirmed code).</summary>
    private Task<object> MeituanQueryAsync(HttpContext context, string raw)
    {
        if (MeituanForm(raw) is not { } form) return Task.FromResult<object>(Results.Json(new { code = 4, message = "签名错误" }, statusCode: 401));
        var booking = _bookings.Values.FirstOrDefault(b =>
            b.Provider == CourierProviders.Meituan && MeituanPlatform.NumericId(b.DeliveryId) == form.GetValueOrDefault("delivery_id"));
        if (booking is null) return Task.FromResult<object>(new { code = 1, message = "订单不存在" });
        return Task.FromResult<object>(new
        {
            code = 0, message = "成功",
            data = new
            {
                delivery_id = form["delivery_id"], mt_peisong_id = booking.CourierOrderId, order_id = booking.DeliveryId, status = MeituanCode(booking.Status),
                courier_name = booking.RiderName ?? "", courier_phone = booking.RiderPhone ?? "",
            },
        });
    }

    private Dictionary<string, string?>? MeituanForm(string raw)
    {
        var form = FormFields.Parse(raw);
        return form.GetValueOrDefault("appkey") == meituan.Value.AppKey
               && CourierSignatures.Matches(CourierSignatures.Meituan(meituan.Value.Secret, form), form.GetValueOrDefault("sign"))
            ? form
            : null;
    }


    private static string MeituanCode(CourierStatus status) => status switch
    {
        CourierStatus.Waiting => "0",
        CourierStatus.Assigned or CourierStatus.AtStore => "20",
        CourierStatus.InTransit => "30",
        CourierStatus.Delivered => "50",
        _ => "99",
    };
}
