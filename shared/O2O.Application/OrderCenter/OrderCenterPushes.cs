using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Platform;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.OrderCenter;

/// <summary>A push as it arrived: the query WeChat signs it with, and the body.</summary>
public sealed record PushRequest(string? Signature, string? Timestamp, string? Nonce, string? EncryptType, string? MsgSignature, string Body);

/// <summary>
/// WeChat's pushes about the order center, to the mini-program's message push URL: the
/// settlement (trade_manage_order_settlement: confirm_receive_time, settlement_time, in Unix
/// seconds, of merchant_trade_no, our out_trade_no), the reminder that an order waits for its
/// shipping information (trade_manage_remind_shipping), and the one to start using the API
/// (trade_manage_remind_access_api). Each is verified (<see cref="WeChatPush"/>) before anything is
/// read; one older than <see cref="MaxAge"/> is refused as a replay. A confirmation raises
/// o2o.order.receipt_confirmed, a settlement o2o.order.settled, each once however often WeChat
/// pushes it; a reminder asks for an upload at once. Event and field names as in WeChat's docs,
/// not confirmed against a live push; the answer WeChat expects is the text "success".
/// </summary>
public sealed partial class OrderCenterPushes(
    OrderChanges changes, ShippingUploadQueue uploads, IOptions<WeChatSettings> settings, TimeProvider clock, ILogger<OrderCenterPushes> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private static readonly Error Unsigned = new(ErrorCodes.Unauthorized, "The push is not signed with this mini-program's push token.");

    /// <summary>WeChat's check of the URL when it is configured: the echostr back, if the signature is ours.</summary>
    public Result<string> Verify(PushRequest request, string? echoStr) =>
        Signed(request) && echoStr is not null ? echoStr : Unsigned;

    public async Task<Result<string>> HandleAsync(PushRequest request, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        if (!Signed(request) || Read(request, s) is not { } message) return Unsigned;
        var kind = Text(message, "Event");
        var orderId = Text(message, "merchant_trade_no");
        switch (kind)
        {
            case "trade_manage_order_settlement" when orderId is not null:
                var confirmed = Seconds(message, "confirm_receive_time");
                var settled = Seconds(message, "settlement_time");
                await RecordAsync(orderId, order =>
                {
                    if (confirmed is { } c) order.ConfirmReceipt(c);
                    if (settled is { } t) order.RecordSettlement(t);
                }, cancellationToken);
                break;
            case "trade_manage_remind_shipping" when orderId is not null:
                await RecordAsync(orderId, order => order.RecordShippingReminder(clock.GetUtcNow()), cancellationToken);
                await uploads.RequestAsync(orderId, cancellationToken);
                break;
            default:
                LogOther(logger, kind ?? "(none)");
                break;
        }
        return "success";
    }

    private async Task RecordAsync(string orderId, Action<Order> record, CancellationToken cancellationToken)
    {
        var recorded = await changes.ApplyAsync<Order>(orderId, order =>
        {
            record(order);
            return order;
        }, cancellationToken);
        if (!recorded.IsSuccess) LogUnknownOrder(logger, orderId); // not ours: WeChat is answered all the same, or it pushes again
    }

    private bool Signed(PushRequest request)
    {
        var token = settings.Value.PushToken;
        return token.Length > 0 && request.Timestamp is { } ts && request.Nonce is { } nonce
               && long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
               && (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= MaxAge
               && WeChatPush.SignatureMatches(request.Signature, token, ts, nonce);
    }

    /// <summary>The push's message: the body itself, or in safe mode what its Encrypt holds (whose own signature must match too).</summary>
    private static JsonElement? Read(PushRequest request, WeChatSettings s)
    {
        try
        {
            var body = JsonDocument.Parse(request.Body).RootElement.Clone();
            if (request.EncryptType != "aes") return body;
            if (Text(body, "Encrypt") is not { } encrypt || !WeChatPush.SignatureMatches(request.MsgSignature,
                s.PushToken, request.Timestamp!, request.Nonce!, encrypt))
                return null;
            return WeChatPush.Decrypt(encrypt, s.PushAesKey, s.AppId) is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement message, string name) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Seconds(JsonElement message, string name) =>
        message.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var s) && s > 0
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat pushed {Kind}: nothing to record")]
    private static partial void LogOther(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat pushed about order {OrderId}, which is not one of ours")]
    private static partial void LogUnknownOrder(ILogger logger, string orderId);
}
