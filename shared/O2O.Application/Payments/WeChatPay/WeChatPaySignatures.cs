using System.Security.Cryptography;
using System.Text;

namespace O2O.Application.Payments.WeChatPay;

/// <summary>
/// WeChat Pay API v3 signatures: SHA256withRSA, PKCS#1 v1.5, over newline-terminated fields.
/// Notifications and responses are signed by WeChat Pay over "timestamp\nnonce\nbody\n" with the
/// body's raw bytes as received; our requests and the mini-program's paySign are signed with the
/// merchant's private key.
/// </summary>
public static class WeChatPaySignatures
{
    public static bool VerifyMessage(RSA platformKey, string timestamp, string nonce, ReadOnlySpan<byte> body, string signatureBase64)
    {
        var signature = new byte[256 * 2];
        if (!Convert.TryFromBase64String(signatureBase64, signature, out var length)) return false;
        return platformKey.VerifyData(MessageBytes(timestamp, nonce, body), signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>The Authorization header of a request to api.mch.weixin.qq.com.</summary>
    public static string Authorization(RSA merchantKey, string mchId, string serialNo, string method, string pathAndQuery,
        long timestamp, string nonce, string body)
    {
        var message = $"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n";
        var signature = Convert.ToBase64String(merchantKey.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return $"WECHATPAY2-SHA256-RSA2048 mchid=\"{mchId}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\","
            + $"serial_no=\"{serialNo}\",signature=\"{signature}\"";
    }

    /// <summary>wx.requestPayment's paySign: over "appId\ntimeStamp\nnonceStr\npackage\n".</summary>
    public static string PaySign(RSA merchantKey, string appId, string timeStamp, string nonceStr, string package) =>
        Convert.ToBase64String(merchantKey.SignData(Encoding.UTF8.GetBytes($"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n"),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>Signs a message the way WeChat Pay signs its notifications (what the local sandbox does with its platform key).</summary>
    public static string SignMessage(RSA platformKey, string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(platformKey.SignData(MessageBytes(timestamp, nonce, body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static byte[] MessageBytes(string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }
}
