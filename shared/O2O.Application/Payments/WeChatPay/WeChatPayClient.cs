using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using O2O.Application.Platform;

namespace O2O.Application.Payments.WeChatPay;

/// <summary>
/// Calls WeChat Pay API v3: every request signed with the merchant key, every answer's signature
/// verified before it is believed. Timeouts, retries with jitter on 5xx and network faults, and a
/// circuit breaker come from the resilience handler registered with this client; retrying is
/// safe because prepay is keyed by out_trade_no and refunds by out_refund_no.
/// </summary>
public sealed class WeChatPayClient(HttpClient http, IOptions<WeChatPaySettings> settings,
    IOptions<WeChatSettings> weChat, WeChatPayKeys keys, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public async Task<string> JsapiPrepayAsync(string outTradeNo, string description, long totalFen,
        string payerOpenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["appid"] = weChat.Value.AppId,
            ["mchid"] = s.MchId,
            ["description"] = description,
            ["out_trade_no"] = outTradeNo,
            ["time_expire"] = expiresAt.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["notify_url"] = s.NotifyUrl,
            ["amount"] = new Dictionary<string, object> { ["total"] = totalFen, ["currency"] = "CNY" },
            ["payer"] = new Dictionary<string, object> { ["openid"] = payerOpenId },
        });
        var (status, answer) = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/jsapi", body, cancellationToken);
        if (status != HttpStatusCode.OK) throw new WeChatPayException($"prepay answered {(int)status}: {Trim(answer)}");
        return JsonDocument.Parse(answer).RootElement.GetProperty("prepay_id").GetString()
               ?? throw new WeChatPayException("prepay answered no prepay_id");
    }

    /// <summary>The transaction of an order as WeChat Pay sees it, or null when it has none.</summary>
    public async Task<Transaction?> QueryAsync(string outTradeNo, CancellationToken cancellationToken)
    {
        var (status, answer) = await SendAsync(HttpMethod.Get,
            $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}?mchid={Uri.EscapeDataString(settings.Value.MchId)}",
                null, cancellationToken);
        if (status == HttpStatusCode.NotFound) return null;
        if (status != HttpStatusCode.OK) throw new WeChatPayException($"query answered {(int)status}: {Trim(answer)}");
        return JsonSerializer.Deserialize<Transaction>(answer);
    }

    public async Task<RefundAnswer> RefundAsync(string outTradeNo, string outRefundNo, long refundFen, long totalFen, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["out_trade_no"] = outTradeNo,
            ["out_refund_no"] = outRefundNo,
            ["notify_url"] = settings.Value.NotifyUrl,
            ["amount"] = new Dictionary<string, object> { ["refund"] = refundFen, ["total"] = totalFen, ["currency"] = "CNY" },
        });
        var (status, answer) = await SendAsync(HttpMethod.Post, "/v3/refund/domestic/refunds", body, cancellationToken);
        if (status != HttpStatusCode.OK) throw new WeChatPayException($"refund answered {(int)status}: {Trim(answer)}");
        return JsonSerializer.Deserialize<RefundAnswer>(answer) ?? throw new WeChatPayException("refund answered nothing");
    }

    /// <summary>A refund as WeChat Pay sees it now, or null when it knows no such refund.</summary>
    public async Task<RefundAnswer?> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        var (status, answer) = await SendAsync(HttpMethod.Get, $"/v3/refund/domestic/refunds/{Uri.EscapeDataString(outRefundNo)}", null, cancellationToken);
        if (status == HttpStatusCode.NotFound) return null;
        if (status != HttpStatusCode.OK) throw new WeChatPayException($"refund query answered {(int)status}: {Trim(answer)}");
        return JsonSerializer.Deserialize<RefundAnswer>(answer) ?? throw new WeChatPayException("refund query answered nothing");
    }

    /// <summary>
    /// Closes an unpaid order's WeChat Pay order so its payer can no longer pay it. False when it
    /// was paid meanwhile (ORDERPAID): that payment arrives as a notification and is refunded.
    /// </summary>
    public async Task<bool> CloseAsync(string outTradeNo, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["mchid"] = settings.Value.MchId });
        var (status, answer) = await SendAsync(HttpMethod.Post,
            $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}/close", body, cancellationToken);
        if (status is HttpStatusCode.NoContent or HttpStatusCode.OK) return true;
        if (status == HttpStatusCode.BadRequest && answer.Contains("ORDERPAID", StringComparison.Ordinal)) return false;
        throw new WeChatPayException($"close answered {(int)status}: {Trim(answer)}");
    }

    /// <summary>
    /// A merchant transfer (商家转账) to a user's WeChat balance, under <paramref name="outBillNo"/>:
    /// asking again with the same number answers the same bill. A real name, from 2,000 yuan, is
    /// encrypted with the platform key (RSA-OAEP) and its serial sent along, as WeChat Pay requires.
    /// </summary>
    public async Task<TransferAnswer> TransferAsync(string outBillNo, string openId,
        long amountFen, string remark, string? userName, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var fields = new Dictionary<string, object>
        {
            ["appid"] = weChat.Value.AppId,
            ["out_bill_no"] = outBillNo,
            ["transfer_scene_id"] = "1000",
            ["openid"] = openId,
            ["transfer_amount"] = amountFen,
            ["transfer_remark"] = remark,
            ["notify_url"] = s.NotifyUrl,
            ["user_recv_perception"] = "现金奖励",
            ["transfer_scene_report_infos"] = new[]
            {
                new Dictionary<string, string> { ["info_type"] = "活动名称", ["info_content"] = "分销佣金" },
                new Dictionary<string, string> { ["info_type"] = "奖励说明", ["info_content"] = "分销佣金提现" },
            },
        };
        string? serial = null;
        if (userName is not null)
        {
            serial = keys.Platform.Serials.First();
            fields["user_name"] = Convert.ToBase64String(keys.Platform.Find(serial)!.Encrypt(Encoding.UTF8.GetBytes(userName), RSAEncryptionPadding.OaepSHA1));
        }
        var (status, answer) = await SendAsync(HttpMethod.Post, "/v3/fund-app/mch-transfer/transfer-bills",
            JsonSerializer.Serialize(fields), cancellationToken, serial);
        if ((int)status is >= 400 and < 500 && status != HttpStatusCode.TooManyRequests)
            throw new WeChatPayRefusedException($"transfer answered {(int)status}: {Trim(answer)}");
        if (status != HttpStatusCode.OK) throw new WeChatPayException($"transfer answered {(int)status}: {Trim(answer)}");
        return JsonSerializer.Deserialize<TransferAnswer>(answer) ?? throw new WeChatPayException("transfer answered nothing");
    }

    /// <summary>A transfer as WeChat Pay sees it, or null when it has none under that number.</summary>
    public async Task<TransferAnswer?> QueryTransferAsync(string outBillNo, CancellationToken cancellationToken)
    {
        var (status, answer) = await SendAsync(HttpMethod.Get,
            $"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{Uri.EscapeDataString(outBillNo)}", null, cancellationToken);
        if (status == HttpStatusCode.NotFound) return null;
        if (status != HttpStatusCode.OK) throw new WeChatPayException($"transfer query answered {(int)status}: {Trim(answer)}");
        return JsonSerializer.Deserialize<TransferAnswer>(answer) ?? throw new WeChatPayException("transfer query answered nothing");
    }

    /// <summary>The five wx.requestPayment fields for a prepay, signed with the merchant key.</summary>
    public PayParameters PayParameters(string prepayId)
    {
        var timeStamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Nonce();
        var package = "prepay_id=" + prepayId;
        return new PayParameters(timeStamp, nonce, package, "RSA", WeChatPaySignatures.PaySign(keys.Merchant, weChat.Value.AppId, timeStamp, nonce, package));
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path,
        string? body, CancellationToken cancellationToken, string? platformSerial = null)
    {
        var s = settings.Value;
        var uri = new Uri(s.BaseUrl.TrimEnd('/') + path);
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", WeChatPaySignatures.Authorization(
            keys.Merchant, s.MchId, s.MerchantSerialNo, method.Method, uri.PathAndQuery, clock.GetUtcNow().ToUnixTimeSeconds(), Nonce(), body ?? ""));
        request.Headers.Accept.ParseAdd("application/json");
        if (platformSerial is not null) request.Headers.TryAddWithoutValidation("Wechatpay-Serial",
            platformSerial); // which key encrypted the request's sensitive fields
        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        // An answer is believed only if WeChat Pay signed it, like a notification.
        var problem = new NotificationVerifier(keys.Platform, clock).Check(new NotificationHeaders(
            Header(response, "Wechatpay-Signature"), Header(response, "Wechatpay-Timestamp"), Header(response, "Wechatpay-Nonce"),
            Header(response, "Wechatpay-Serial"), Header(response, "Wechatpay-Signature-Type")), bytes);
        if (problem is not null) throw new WeChatPayException($"WeChat Pay's answer failed verification: {problem}");
        return (response.StatusCode, Encoding.UTF8.GetString(bytes));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Nonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static string Trim(string text) => text.Length > 300 ? text[..300] : text;
}

public class WeChatPayException(string message) : Exception(message);

/// <summary>WeChat Pay refused the request itself (a 4xx other than 429): asking again the same way will not change its answer.</summary>
public sealed class WeChatPayRefusedException(string message) : WeChatPayException(message);

/// <summary>A merchant transfer as WeChat Pay answers or notifies it.</summary>
public sealed record TransferAnswer(
    [property: JsonPropertyName("out_bill_no")] string? OutBillNo,
    [property: JsonPropertyName("transfer_bill_no")] string? TransferBillNo,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("package_info")] string? PackageInfo,
    [property: JsonPropertyName("fail_reason")] string? FailReason = null,
    [property: JsonPropertyName("mch_id")] string? MchId = null,
    [property: JsonPropertyName("transfer_amount")] long? AmountFen = null,
    [property: JsonPropertyName("openid")] string? OpenId = null);

public sealed record PayParameters(string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

/// <summary>A transaction as WeChat Pay reports it, in a query answer or a decrypted notification.</summary>
public sealed record Transaction(
    [property: JsonPropertyName("mchid")] string? MchId,
    [property: JsonPropertyName("appid")] string? AppId,
    [property: JsonPropertyName("out_trade_no")] string? OutTradeNo,
    [property: JsonPropertyName("transaction_id")] string? TransactionId,
    [property: JsonPropertyName("trade_state")] string? TradeState,
    [property: JsonPropertyName("success_time")] DateTimeOffset? SuccessTime,
    [property: JsonPropertyName("amount")] TransactionAmount? Amount);

public sealed record TransactionAmount(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("currency")] string? Currency);

public sealed record RefundAnswer(
    [property: JsonPropertyName("refund_id")] string? RefundId,
    [property: JsonPropertyName("out_refund_no")] string? OutRefundNo,
    [property: JsonPropertyName("status")] string? Status);

/// <summary>A refund as a REFUND.* notification reports it.</summary>
public sealed record RefundNotice(
    [property: JsonPropertyName("mchid")] string? MchId,
    [property: JsonPropertyName("out_trade_no")] string? OutTradeNo,
    [property: JsonPropertyName("out_refund_no")] string? OutRefundNo,
    [property: JsonPropertyName("refund_id")] string? RefundId,
    [property: JsonPropertyName("refund_status")] string? RefundStatus);
