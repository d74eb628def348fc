using System.Text.Json;
using Microsoft.Extensions.Options;
using O2O.Application.Payments.WeChatPay;
using O2O.Application.Platform;
using O2O.Domain.Orders;

namespace O2O.Application.OrderCenter;

/// <summary>What WeChat answered an upload: taken (0), already holding it, busy (try later), or refused for another reason.</summary>
public enum UploadAnswer
{
    Taken,
    AlreadyShipped,
    Busy,
    Refused,
}

/// <summary>
/// WeChat's order center (发货信息管理): POST /wxa/sec/order/upload_shipping_info and
/// /wxa/sec/order/get_order, with the mini-program's access token (<see cref="WeChatApi"/>). The
/// order is named by our out_trade_no with the merchant id (order_number_type 1). For same-city
/// delivery and pickup WeChat asks for neither tracking_no nor express_company (express only), so
/// the body names no courier, and an order that changes courier changes nothing WeChat holds: it
/// is never re-uploaded. Fields as in WeChat's docs and WxJava's WxMaOrderShippingInfoUploadRequest;
/// the errcode of "already shipped" (10060002 below) is not confirmed from WeChat's own list, so
/// any refusal is checked with get_order before it counts as one.
/// </summary>
public sealed class WeChatShippingClient(WeChatApi weChat, IOptions<WeChatPaySettings> pay)
{
    /// <summary>"支付单已完成发货": WeChat holds shipping information for the order already (unconfirmed code).</summary>
    public const int AlreadyShipped = 10060002;

    /// <summary>Whether get_order's order_state says WeChat holds shipping information: 2 shipped, 3 received, 4 completed (1 waits, 5 refunded).</summary>
    public static bool Holds(int? orderState) => orderState is >= 2 and <= 4;

    /// <summary>The body of the upload: the same, byte for byte, on every retry of the same order.</summary>
    private object UploadBody(Order order, ShippingInfo info) => new
    {
        order_key = new { order_number_type = 1, mchid = pay.Value.MchId, out_trade_no = order.Id },
        logistics_type = info.LogisticsType,
        delivery_mode = 1, // UNIFIED_DELIVERY: one shipment; 2 (SPLIT_DELIVERY, with is_all_delivered) is for express parcels
        shipping_list = new[] { new { item_desc = info.ItemDesc } },
        upload_time = info.UploadTime,
        payer = new { openid = order.Prepay?.PayerOpenId ?? "" },
    };

    public async Task<UploadAnswer> UploadAsync(Order order, ShippingInfo info, CancellationToken cancellationToken)
    {
        var answer = await weChat.PostAsync("/wxa/sec/order/upload_shipping_info", UploadBody(order, info), cancellationToken);
        return WeChatApi.ErrCode(answer) switch
        {
            0 => UploadAnswer.Taken,
            AlreadyShipped => UploadAnswer.AlreadyShipped,
            -1 => UploadAnswer.Busy,
            _ => UploadAnswer.Refused,
        };
    }

    /// <summary>The order's state in WeChat's order center (1 waiting to ship, 2 shipped, 3 received, 4 completed, 5 refunded), or null on an error.</summary>
    public async Task<int?> OrderStateAsync(string orderId, CancellationToken cancellationToken)
    {
        var answer = await weChat.PostAsync("/wxa/sec/order/get_order",
            new { merchant_id = pay.Value.MchId, merchant_trade_no = orderId }, cancellationToken);
        return WeChatApi.ErrCode(answer) == 0 && answer.TryGetProperty("order", out var o) && o.TryGetProperty("order_state", out var state)
               && state.ValueKind == JsonValueKind.Number
            ? state.GetInt32()
            : null;
    }
}
