namespace O2O.Application.Payments.WeChatPay;

/// <summary>What a notification's headers claim; the body is verified as the raw bytes received.</summary>
public sealed record NotificationHeaders(string? Signature, string? Timestamp, string? Nonce, string? Serial, string? SignatureType);

/// <summary>
/// Decides whether a notification really comes from WeChat Pay: a known key by serial, a fresh
/// timestamp (|now − timestamp| &lt; 300 s, the official SDKs' rule, so a captured notification
/// cannot be replayed later), and a valid signature over the exact bytes received.
/// </summary>
public sealed class NotificationVerifier(PlatformKeys keys, TimeProvider clock)
{
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromSeconds(300);

    /// <summary>Null when genuine, else the reason it is not.</summary>
    public string? Check(NotificationHeaders headers, ReadOnlySpan<byte> body)
    {
        if (headers.SignatureType is { Length: > 0 } type && type != "WECHATPAY2-SHA256-RSA2048") return $"unsupported signature type {type}";
        if (string.IsNullOrEmpty(headers.Signature) || string.IsNullOrEmpty(headers.Nonce) || string.IsNullOrEmpty(headers.Timestamp))
            return "missing signature headers";
        if (!long.TryParse(headers.Timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return "malformed timestamp";
        if (Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) >= ReplayWindow.TotalSeconds) return "timestamp outside the replay window";
        var key = keys.Find(headers.Serial);
        if (key is null) return $"unknown serial {headers.Serial}";
        return WeChatPaySignatures.VerifyMessage(key, headers.Timestamp, headers.Nonce, body, headers.Signature) ? null : "bad signature";
    }
}
