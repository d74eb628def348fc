using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using O2O.Application.OrderCenter;

namespace O2O.LocalHost;

/// <summary>
/// A stand-in for WeChat's order center under /sandbox/wechat: /wxa/sec/order/upload_shipping_info
/// checks the access token (<see cref="WeChatMessageSandbox.TokenError"/>) and every field (the
/// merchant id, logistics_type 1–4, delivery_mode 1, 1–10 shipments each with an item_desc of
/// 1–120 characters, express fields for express, an RFC 3339 upload_time, the payer's openid),
/// keeps the first upload of each out_trade_no and answers a second with 10060002 (already
/// shipped); /wxa/sec/order/get_order answers order_state 2 for an order it holds, 1 otherwise.
/// <see cref="FailNext"/> makes the next calls answer an errcode (-1 busy, 40001 stale token …),
/// and <see cref="SignPush"/> signs (and encrypts) a push as WeChat would, for the tests.
/// </summary>
public sealed class WeChatOrderCenterSandbox(IConfiguration configuration, WeChatMessageSandbox tokens)
{
    public sealed record Upload(string OutTradeNo, int LogisticsType, string ItemDesc, string UploadTime, string OpenId, string Body)
    {
        /// <summary>When the sandbox took it.</summary>
        public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
    }

    /// <summary>"该支付单已完成发货" as this sandbox answers it; WeChat's own code for it is not confirmed.</summary>
    public const int AlreadyShipped = WeChatShippingClient.AlreadyShipped;

    /// <summary>The sandbox's answer to a body it refuses (WeChat's "参数错误" code is not confirmed either).</summary>
    public const int InvalidParameter = 10060014;

    private readonly ConcurrentDictionary<string, Upload> _shipped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> _faults = new();
    private readonly ConcurrentDictionary<string, bool> _changedBodies = new(StringComparer.Ordinal);

    /// <summary>The upload WeChat holds for each out_trade_no.</summary>
    public IReadOnlyDictionary<string, Upload> Shipped => _shipped;

    /// <summary>How many uploads of an out_trade_no reached the sandbox (with a valid token), taken or not.</summary>
    public int CallsFor(string outTradeNo) => _calls.GetValueOrDefault(outTradeNo);

    /// <summary>The out_trade_nos uploaded again with a body other than the one WeChat holds (a retry must send the same).</summary>
    public IReadOnlyCollection<string> ChangedBodies => [.. _changedBodies.Keys];

    /// <summary>How many of the faults asked for are still to be answered.</summary>
    public int PendingFaults => _faults.Count;

    /// <summary>The next calls (one per errcode) answer these errcodes, before anything is checked or kept.</summary>
    public void FailNext(params int[] errcodes)
    {
        foreach (var code in errcodes) _faults.Enqueue(code);
    }

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<WeChatOrderCenterSandbox>();
        app.MapPost(WeChatSandbox.BasePath + "/wxa/sec/order/upload_shipping_info", sandbox.UploadAsync);
        app.MapPost(WeChatSandbox.BasePath + "/wxa/sec/order/get_order", sandbox.GetOrderAsync);
    }

    private async Task<IResult> UploadAsync(HttpRequest request)
    {
        if (_faults.TryDequeue(out var fault)) return WeChatSandbox.Error(fault, "sandbox fault");
        if (tokens.TokenError(request) is { } refused) return refused;
        var raw = await new StreamReader(request.Body).ReadToEndAsync();
        var body = JsonDocument.Parse(raw).RootElement;
        var upload = Read(body, raw);
        if (upload is null) return WeChatSandbox.Error(InvalidParameter, "invalid parameter");
        _calls.AddOrUpdate(upload.OutTradeNo, 1, (_, n) => n + 1);
        if (_shipped.TryAdd(upload.OutTradeNo, upload)) return WeChatSandbox.Error(0, "ok");
        if (_shipped[upload.OutTradeNo].Body != raw) _changedBodies[upload.OutTradeNo] = true;
        return WeChatSandbox.Error(AlreadyShipped, "the order is already shipped");
    }

    private Upload? Read(JsonElement body, string raw)
    {
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name,
            out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
        int? Number(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name,
            out var v) && v.TryGetInt32(out var n) ? n : null;
        if (!body.TryGetProperty("order_key", out var key) || Number(key, "order_number_type") != 1
            || Text(key, "mchid") != configuration["WeChatPay:MchId"] || Text(key, "out_trade_no") is not { Length: > 0 } outTradeNo)
            return null;
        if (Number(body, "logistics_type") is not (>= 1 and <= 4) || Number(body, "delivery_mode") != 1) return null;
        var logistics = Number(body, "logistics_type")!.Value;
        if (!body.TryGetProperty("shipping_list", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is < 1 or > 10) return null;
        foreach (var shipment in list.EnumerateArray())
        {
            if (Text(shipment, "item_desc") is not { Length: >= 1 and <= 120 }) return null;
            if (logistics == 1 && (Text(shipment, "tracking_no") is null || Text(shipment, "express_company") is null)) return null;
        }
        if (Text(body, "upload_time") is not { } uploadTime
            || !DateTimeOffset.TryParseExact(uploadTime, "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return null;
        if (!body.TryGetProperty("payer", out var payer) || Text(payer, "openid") is not { Length: > 0 } openId) return null;
        return new Upload(outTradeNo, logistics, Text(list[0], "item_desc")!, uploadTime, openId, raw);
    }

    private async Task<IResult> GetOrderAsync(HttpRequest request)
    {
        if (tokens.TokenError(request) is { } refused) return refused;
        var body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        var outTradeNo = body.TryGetProperty("merchant_trade_no", out var no) ? no.GetString() ?? "" : "";
        var shipped = _shipped.ContainsKey(outTradeNo);
        return Results.Text(JsonSerializer.Serialize(new
        {
            errcode = 0, errmsg = "ok",
            order = new { merchant_trade_no = outTradeNo, order_state = shipped ? 2 : 1 },
        }), "text/plain");
    }

    /// <summary>
    /// A push of <paramref name="message"/> as WeChat sends it: the query (signature, timestamp,
    /// nonce; in safe mode encrypt_type and msg_signature too) and the body, signed with the push
    /// token and, in safe mode, encrypted with the EncodingAESKey.
    /// </summary>
    public (string Query, string Body) SignPush(object message, bool safeMode, DateTimeOffset at)
    {
        var token = configuration["WeChat:PushToken"] ?? "";
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N")[..10];
        var json = JsonSerializer.Serialize(message);
        var query = $"signature={WeChatPush.Signature(token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}";
        if (!safeMode) return (query, json);
        var encrypt = WeChatPush.Encrypt(json, configuration["WeChat:PushAesKey"] ?? "", configuration["WeChat:AppId"] ?? "");
        return ($"{query}&encrypt_type=aes&msg_signature={WeChatPush.Signature(token, timestamp, nonce, encrypt)}",
            JsonSerializer.Serialize(new { ToUserName = "gh_sandbox", Encrypt = encrypt }));
    }
}
