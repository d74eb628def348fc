using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using O2O.Application.Payments.WeChatPay;

namespace O2O.LocalHost;

/// <summary>
/// A stand-in for api.mch.weixin.qq.com speaking API v3: it verifies the merchant's request
/// signatures, signs every answer with its platform key, and posts signed, encrypted notifications
/// that it retries on WeChat Pay's schedule (scaled by Sandbox__WeChatPayRetryScale for tests).
/// Extra route, as the mini-program's wx.requestPayment would complete it:
/// POST /sandbox/wechatpay/pay/{out_trade_no} (add ?notify=false to lose the notification).
/// State is in memory: a restart forgets its trades.
/// </summary>
public sealed partial class WeChatPaySandbox(IConfiguration configuration, TimeProvider clock, ILogger<WeChatPaySandbox> logger)
{
    public const string BasePath = "/sandbox/wechatpay";

    /// <summary>WeChat Pay's retry schedule for a notification that was not accepted (24h04m in all).</summary>
    public static readonly TimeSpan[] RetrySchedule = [.. new[] { 15, 15, 30, 180, 600, 1200, 1800,
        1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600 }.Select(s => TimeSpan.FromSeconds(s))];

    private static readonly HttpClient Notifier = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ConcurrentDictionary<string, Trade> _trades = new();
    private readonly ConcurrentDictionary<string, Refund> _refunds = new();
    private RefundOutcome _refundOutcome = RefundOutcome.Success;
    private readonly Lazy<RSA> _merchantPublic = new(() => PublicOf(configuration["WeChatPay:MerchantPrivateKeyPem"]));
    private readonly Lazy<RSA> _platform = new(() => PrivateKey(configuration[DevKeys.PlatformPrivateKeySetting.Replace("__", ":", StringComparison.Ordinal)]));

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<WeChatPaySandbox>();
        app.MapPost(BasePath + "/v3/pay/transactions/jsapi", sandbox.PrepayAsync);
        app.MapGet(BasePath + "/v3/pay/transactions/out-trade-no/{outTradeNo}", sandbox.QueryAsync);
        app.MapPost(BasePath + "/v3/pay/transactions/out-trade-no/{outTradeNo}/close", sandbox.CloseAsync);
        app.MapPost(BasePath + "/v3/refund/domestic/refunds", sandbox.RefundAsync);
        app.MapGet(BasePath + "/v3/refund/domestic/refunds/{outRefundNo}", sandbox.QueryRefundAsync);
        app.MapPost(BasePath + "/pay/{outTradeNo}", sandbox.CompletePaymentAsync);
        app.MapPost(BasePath + "/v3/fund-app/mch-transfer/transfer-bills", sandbox.TransferAsync);
        app.MapGet(BasePath + "/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{outBillNo}", sandbox.QueryTransferAsync);
        app.MapPost(BasePath + "/transfer/{outBillNo}/confirm", sandbox.ConfirmTransferAsync);
    }

    private sealed record Transfer(string OutBillNo, string TransferBillNo, string OpenId, long Amount, string NotifyUrl, string PackageInfo)
    {
        public string State { get; set; } = "WAIT_USER_CONFIRM";
    }

    private readonly ConcurrentDictionary<string, Transfer> _transfers = new();
    private bool _transfersFail;

    /// <summary>From now on a payee's confirmation ends in FAIL (the payee's account cannot take it) instead of SUCCESS.</summary>
    public void SetTransfersFail(bool fail) => _transfersFail = fail;

    /// <summary>The transfers asked for, by out_bill_no: amount and state.</summary>
    public IReadOnlyDictionary<string, (long Amount, string State)> Transfers => _transfers.ToDictionary(t => t.Key, t => (t.Value.Amount, t.Value.State));

    /// <summary>How many times each out_bill_no was asked for.</summary>
    public IReadOnlyDictionary<string, int> TransferRequests => _transferRequests.ToDictionary(t => t.Key, t => t.Value);

    private readonly ConcurrentDictionary<string, int> _transferRequests = new();

    /// <summary>
    /// 商家转账: a bill per out_bill_no (the same number again answers the same bill), from 10 fen;
    /// from 2,000 yuan a real name encrypted with the platform key, whose serial the request names.
    /// The bill waits for the payee to confirm in the mini-program with its package_info.
    /// </summary>
    private async Task TransferAsync(HttpContext context)
    {
        if (await VerifiedBodyAsync(context) is not { } body) return;
        var request = JsonDocument.Parse(body).RootElement;
        var outBillNo = request.GetProperty("out_bill_no").GetString()!;
        var amount = request.GetProperty("transfer_amount").GetInt64();
        var openId = request.GetProperty("openid").GetString()!;
        _transferRequests.AddOrUpdate(outBillNo, 1, (_, n) => n + 1);
        var problem = request.GetProperty("appid").GetString() != configuration["WeChat:AppId"] ? "appid is not the merchant's"
            : amount < 10 ? "transfer_amount is below 10 fen"
            : amount >= 200_000 && !RealNameDecrypts(context,
                request) ? "user_name is required from 2,000 yuan, encrypted with the platform key named by Wechatpay-Serial"
            : null;
        if (problem is not null)
        {
            await AnswerAsync(context, 400, new { code = "PARAM_ERROR", message = problem });
            return;
        }
        var transfer = _transfers.GetOrAdd(outBillNo,
            _ => new Transfer(outBillNo, "1330" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)), openId, amount,
            request.GetProperty("notify_url").GetString()!, "affffddafdfafddffda==" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
        if (transfer.Amount != amount || transfer.OpenId != openId)
        {
            await AnswerAsync(context, 400, new { code = "PARAM_ERROR", message = "out_bill_no was used for another transfer" });
            return;
        }
        await AnswerAsync(context, 200, TransferOf(transfer));
    }

    private bool RealNameDecrypts(HttpContext context, JsonElement request)
    {
        if (context.Request.Headers["Wechatpay-Serial"].ToString() != configuration["WeChatPay:PlatformPublicKeyId"]
            || !request.TryGetProperty("user_name", out var name) || name.GetString() is not { Length: > 0 } cipher) return false;
        try
        {
            return _platform.Value.Decrypt(Convert.FromBase64String(cipher), RSAEncryptionPadding.OaepSHA1).Length > 0;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }

    private async Task QueryTransferAsync(HttpContext context, string outBillNo)
    {
        if (await VerifiedBodyAsync(context) is null) return;
        if (_transfers.TryGetValue(outBillNo, out var transfer)) await AnswerAsync(context, 200, TransferOf(transfer));
        else await AnswerAsync(context, 404, new { code = "NOT_FOUND", message = "记录不存在" });
    }

    /// <summary>The payee confirms in the mini-program: the bill ends (SUCCESS, or FAIL when set so) and WeChat Pay notifies
    /// MCHTRANSFER.BILL.FINISHED.</summary>
    private async Task ConfirmTransferAsync(HttpContext context, string outBillNo)
    {
        if (!_transfers.TryGetValue(outBillNo, out var transfer) || transfer.State != "WAIT_USER_CONFIRM")
        {
            context.Response.StatusCode = 404;
            return;
        }
        transfer.State = _transfersFail ? "FAIL" : "SUCCESS";
        await context.Response.WriteAsJsonAsync(new { state = transfer.State });
        Notify(transfer.NotifyUrl, "MCHTRANSFER.BILL.FINISHED", "mch_payment", TransferOf(transfer));
    }

    private object TransferOf(Transfer transfer) => new
    {
        mch_id = configuration["WeChatPay:MchId"], out_bill_no = transfer.OutBillNo, transfer_bill_no = transfer.TransferBillNo, state = transfer.State,
        transfer_amount = transfer.Amount, openid = transfer.OpenId, create_time = clock.GetUtcNow(),
        package_info = transfer.State == "WAIT_USER_CONFIRM" ? transfer.PackageInfo : null,
        fail_reason = transfer.State == "FAIL" ? "PAYEE_ACCOUNT_ABNORMAL" : null,
    };

    private sealed record Trade(string OutTradeNo, string MchId, string AppId, long Total, string OpenId, string NotifyUrl, string PrepayId)
    {
        public string? TransactionId { get; set; }
        public DateTimeOffset? SuccessTime { get; set; }

        /// <summary>Closed by the merchant before it was paid: it can no longer be paid.</summary>
        public bool Closed { get; set; }
    }

    private const int MaxRefundsPerTrade = 50;

    private sealed record Refund(string RefundId, string OutRefundNo, string OutTradeNo, long Amount, string Status);

    /// <summary>What becomes of the refunds asked for from now on.</summary>
    public enum RefundOutcome
    {
        /// <summary>PROCESSING at once, then a REFUND.SUCCESS notification.</summary>
        Success,

        /// <summary>Refunded, but the notification never comes: only the refund query tells.</summary>
        SuccessUnnotified,

        /// <summary>The money could not go back (a closed card): REFUND.ABNORMAL.</summary>
        Abnormal,

        /// <summary>WeChat Pay closed the refund: REFUND.CLOSED.</summary>
        Closed,
    }

    public void SetRefundOutcome(RefundOutcome outcome) => _refundOutcome = outcome;

    /// <summary>The refunds asked for, by out_refund_no: amount and status.</summary>
    public IReadOnlyDictionary<string, (long Amount, string Status)> Refunds => _refunds.ToDictionary(r => r.Key, r => (r.Value.Amount, r.Value.Status));

    private async Task PrepayAsync(HttpContext context)
    {
        if (await VerifiedBodyAsync(context) is not { } body) return;
        var request = JsonDocument.Parse(body).RootElement;
        var outTradeNo = request.GetProperty("out_trade_no").GetString()!;
        var trade = _trades.GetOrAdd(outTradeNo, _ => new Trade(outTradeNo, request.GetProperty("mchid").GetString()!,
            request.GetProperty("appid").GetString()!, request.GetProperty("amount").GetProperty("total").GetInt64(),
            request.GetProperty("payer").GetProperty("openid").GetString()!, request.GetProperty("notify_url").GetString()!,
            "wx" + Convert.ToHexString(RandomNumberGenerator.GetBytes(14)).ToLowerInvariant()));
        if (trade.TransactionId is not null)
        {
            await AnswerAsync(context, 400, new { code = "ORDERPAID", message = "该订单已支付" });
            return;
        }
        if (trade.Closed)
        {
            await AnswerAsync(context, 400, new { code = "ORDERCLOSED", message = "订单已关闭" });
            return;
        }
        await AnswerAsync(context, 200, new { prepay_id = trade.PrepayId });
    }

    /// <summary>Closes an unpaid trade (204); a paid one answers 400 ORDERPAID.</summary>
    private async Task CloseAsync(HttpContext context, string outTradeNo)
    {
        if (await VerifiedBodyAsync(context) is not { } body) return;
        if (JsonDocument.Parse(body).RootElement.GetProperty("mchid").GetString() != configuration["WeChatPay:MchId"]
            || !_trades.TryGetValue(outTradeNo, out var trade))
        {
            await AnswerAsync(context, 404, new { code = "ORDER_NOT_EXIST", message = "订单不存在" });
            return;
        }
        lock (trade)
        {
            if (trade.TransactionId is null) trade.Closed = true;
        }
        if (trade.TransactionId is not null)
        {
            await AnswerAsync(context, 400, new { code = "ORDERPAID", message = "该订单已支付" });
            return;
        }
        context.Response.StatusCode = 204;
        foreach (var (name, value) in SignatureHeaders([])) context.Response.Headers[name] = value;
    }

    private async Task QueryAsync(HttpContext context, string outTradeNo)
    {
        if (await VerifiedBodyAsync(context) is null) return;
        if (!_trades.TryGetValue(outTradeNo, out var trade))
        {
            await AnswerAsync(context, 404, new { code = "ORDER_NOT_EXIST", message = "订单不存在" });
            return;
        }
        await AnswerAsync(context, 200, TransactionOf(trade));
    }

    private async Task RefundAsync(HttpContext context)
    {
        if (await VerifiedBodyAsync(context) is not { } body) return;
        var request = JsonDocument.Parse(body).RootElement;
        var outRefundNo = request.GetProperty("out_refund_no").GetString()!;
        var amount = request.GetProperty("amount");
        if (!_trades.TryGetValue(request.GetProperty("out_trade_no").GetString()!, out var trade) || trade.TransactionId is null
            || amount.GetProperty("total").GetInt64() != trade.Total || amount.GetProperty("refund").GetInt64() > trade.Total)
        {
            await AnswerAsync(context, 400, new { code = "PARAM_ERROR", message = "refund does not match a paid trade" });
            return;
        }
        var isNew = false;
        var outcome = _refundOutcome;
        var refundAmount = amount.GetProperty("refund").GetInt64();
        Refund? refund;
        lock (_refunds)
        {
            // As WeChat Pay: a trade takes at most 50 refunds, which together never exceed what was paid; a known out_refund_no is the same refund.
            if (!_refunds.TryGetValue(outRefundNo, out refund))
            {
                var earlier = _refunds.Values.Where(r => r.OutTradeNo == trade.OutTradeNo && r.Status != "CLOSED").ToList();
                if (earlier.Count < MaxRefundsPerTrade && earlier.Sum(r => r.Amount) + refundAmount <= trade.Total)
                {
                    isNew = true;
                    var status = outcome switch { RefundOutcome.Abnormal => "ABNORMAL", RefundOutcome.Closed => "CLOSED", _ => "SUCCESS" };
                    refund = new Refund("50" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)), outRefundNo, trade.OutTradeNo, refundAmount, status);
                    _refunds[outRefundNo] = refund;
                }
            }
        }
        if (refund is null)
        {
            await AnswerAsync(context, 403, new
            {
                code = "NOT_ENOUGH",
                message = "the refunds of this trade would exceed what was paid, or number more than 50"
            });
            return;
        }
        await AnswerAsync(context, 200, new
        {
            refund_id = refund.RefundId, out_refund_no = outRefundNo,
            transaction_id = trade.TransactionId, out_trade_no = trade.OutTradeNo, status = "PROCESSING"
        });
        if (isNew && outcome != RefundOutcome.SuccessUnnotified)
            Notify(request.GetProperty("notify_url").GetString()!, "REFUND." + refund.Status, "refund", new
            {
                mchid = trade.MchId, out_trade_no = trade.OutTradeNo, transaction_id = trade.TransactionId, out_refund_no = outRefundNo,
                refund_id = refund.RefundId, refund_status = refund.Status, success_time = clock.GetUtcNow(),
                amount = new { total = trade.Total, refund = refundAmount, payer_total = trade.Total, payer_refund = refundAmount },
            });
    }

    private async Task QueryRefundAsync(HttpContext context, string outRefundNo)
    {
        if (await VerifiedBodyAsync(context) is null) return;
        if (!_refunds.TryGetValue(outRefundNo, out var refund))
        {
            await AnswerAsync(context, 404, new { code = "RESOURCE_NOT_EXISTS", message = "退款单不存在" });
            return;
        }
        await AnswerAsync(context, 200, new
        {
            refund_id = refund.RefundId,
            out_refund_no = refund.OutRefundNo, out_trade_no = refund.OutTradeNo, status = refund.Status
        });
    }

    /// <summary>The payer confirms in WeChat: the trade succeeds and (unless ?notify=false) the merchant is notified.</summary>
    private async Task CompletePaymentAsync(HttpContext context, string outTradeNo)
    {
        if (!_trades.TryGetValue(outTradeNo, out var trade))
        {
            context.Response.StatusCode = 404;
            return;
        }
        lock (trade)
        {
            if (!trade.Closed)
            {
                trade.TransactionId ??= "4200" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
                trade.SuccessTime ??= clock.GetUtcNow();
            }
        }
        if (trade.Closed)
        {
            context.Response.StatusCode = 409; // the payer is told the order was closed
            await context.Response.WriteAsJsonAsync(new { code = "ORDERCLOSED", message = "订单已关闭" });
            return;
        }
        if (context.Request.Query["notify"] != "false") Notify(trade.NotifyUrl, "TRANSACTION.SUCCESS", "transaction", TransactionOf(trade));
        await context.Response.WriteAsJsonAsync(new { transaction_id = trade.TransactionId });
    }

    /// <summary>The transaction resource WeChat Pay would report for a trade, or null if the sandbox has none.</summary>
    public JsonObject? Transaction(string outTradeNo) =>
        _trades.TryGetValue(outTradeNo, out var trade) ? JsonSerializer.SerializeToNode(TransactionOf(trade))!.AsObject() : null;

    private object TransactionOf(Trade trade) => new
    {
        mchid = trade.MchId, appid = trade.AppId, out_trade_no = trade.OutTradeNo, transaction_id = trade.TransactionId,
        trade_type = "JSAPI", trade_state = trade.TransactionId is not null ? "SUCCESS" : trade.Closed ? "CLOSED" : "NOTPAY",
        trade_state_desc = trade.TransactionId is not null ? "支付成功" : trade.Closed ? "已关闭" : "未支付",
        bank_type = "OTHERS", attach = "", success_time = trade.SuccessTime, payer = new { openid = trade.OpenId },
        amount = new { total = trade.Total, payer_total = trade.Total, currency = "CNY", payer_currency = "CNY" },
    };

    /// <summary>Posts a signed, encrypted notification in the background, retrying on WeChat Pay's schedule until it is accepted.</summary>
    private void Notify(string url, string eventType, string originalType, object resource)
    {
        var scale = double.TryParse(configuration["Sandbox:WeChatPayRetryScale"], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 1.0;
        _ = Task.Run(async () =>
        {
            for (var attempt = 0; attempt <= RetrySchedule.Length; attempt++)
            {
                if (attempt > 0) await Task.Delay(RetrySchedule[attempt - 1] * scale, clock);
                try
                {
                    using var response = await Notifier.SendAsync(NotificationRequest(url, eventType, originalType, resource));
                    if (response.IsSuccessStatusCode) return;
                    LogRefused(logger, eventType, url, (int)response.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // No answer within WeChat Pay's 5 s counts as a failure and is retried on the schedule, like a refusal.
                    LogRefused(logger, eventType, url, e.HResult);
                }
            }
        });
    }

    /// <summary>A notification exactly as WeChat Pay sends it: resource encrypted with the APIv3 key, body signed with the platform key.</summary>
    public HttpRequestMessage NotificationRequest(string url, string eventType, string originalType, object resource)
    {
        var (body, headers) = SignedNotification(eventType, originalType, resource, clock.GetUtcNow());
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public (string Body, IReadOnlyList<(string Name, string Value)> Headers) SignedNotification(string eventType,
        string originalType, object resource, DateTimeOffset signedAt)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(); // 12 characters
        var body = JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString(), create_time = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz",
                CultureInfo.InvariantCulture),
            resource_type = "encrypt-resource", event_type = eventType, summary = eventType,
            resource = new
            {
                original_type = originalType, algorithm = "AEAD_AES_256_GCM", associated_data = originalType, nonce,
                ciphertext = WeChatPayResource.Encrypt(configuration["WeChatPay:ApiV3Key"]!, JsonSerializer.Serialize(resource), nonce, originalType),
            },
        });
        return (body, SignatureHeaders(Encoding.UTF8.GetBytes(body), signedAt).ToList());
    }

    private IEnumerable<(string, string)> SignatureHeaders(byte[] body, DateTimeOffset? signedAt = null)
    {
        var timestamp = (signedAt ?? clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        yield return ("Wechatpay-Timestamp", timestamp);
        yield return ("Wechatpay-Nonce", nonce);
        yield return ("Wechatpay-Serial", configuration["WeChatPay:PlatformPublicKeyId"] ?? "");
        yield return ("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        yield return ("Wechatpay-Signature", WeChatPaySignatures.SignMessage(_platform.Value, timestamp, nonce, body));
    }

    /// <summary>The request body if its Authorization header is the merchant's valid signature; otherwise answers 401.</summary>
    private async Task<string?> VerifiedBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var fields = AuthorizationField().Matches(context.Request.Headers.Authorization.ToString())
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var signed = fields.TryGetValue("signature", out var signature) && fields.TryGetValue("timestamp", out var timestamp)
            && fields.TryGetValue("nonce_str", out var nonce) && fields.GetValueOrDefault("mchid") == configuration["WeChatPay:MchId"]
            && _merchantPublic.Value.VerifyData(
                Encoding.UTF8.GetBytes($"{context.Request.Method}\n{context.Request.Path}{context.Request.QueryString}\n{timestamp}\n{nonce}\n{body}\n"),
                Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (signed) return body;
        await AnswerAsync(context, 401, new { code = "SIGN_ERROR", message = "签名错误" });
        return null;
    }

    private async Task AnswerAsync(HttpContext context, int status, object answer)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(answer);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in SignatureHeaders(body)) context.Response.Headers[name] = value;
        await context.Response.Body.WriteAsync(body);
    }

    private static RSA PublicOf(string? privatePem)
    {
        using var key = PrivateKey(privatePem);
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return publicKey;
    }

    private static RSA PrivateKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem)) throw new InvalidOperationException("The WeChat Pay sandbox " +
            "has no keys: run the local host with --settings (it generates them) or set them.");
        var key = RSA.Create();
        key.ImportFromPem(pem);
        return key;
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex AuthorizationField();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox notification {EventType} to {Url} was not accepted ({Status}); it will be retried")]
    private static partial void LogRefused(ILogger logger, string eventType, string url, int status);
}
