using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace O2O.Application.OrderCenter;

/// <summary>
/// The mini-program's message push (消息推送) as WeChat signs and encrypts it. Every push carries
/// signature = SHA1 of the sorted Token, timestamp and nonce; in safe mode the body is
/// {"Encrypt": base64} and msg_signature = SHA1 of the sorted Token, timestamp, nonce and Encrypt.
/// Encrypt is AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes,
/// PKCS#7 padding to 32 bytes, over 16 random bytes, the message's length (4 bytes, big-endian),
/// the message, and the mini-program's appid.
/// </summary>
public static class WeChatPush
{
    public static string Signature(params string[] parts)
    {
        var sorted = parts.Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    public static bool SignatureMatches(string? presented, params string[] parts) =>
        presented is { Length: 40 } && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(presented.ToLowerInvariant()), Encoding.ASCII.GetBytes(Signature(parts)));

    /// <summary>The message inside <paramref name="encrypt"/>; null when it does not decrypt or is not for <paramref name="appId"/>.</summary>
    public static string? Decrypt(string encrypt, string aesKey, string appId)
    {
        try
        {
            using var aes = Aes.Create();
            aes.Key = Key(aesKey);
            var plain = aes.DecryptCbc(Convert.FromBase64String(encrypt), aes.Key[..16], PaddingMode.None);
            var pad = plain[^1];
            if (pad is < 1 or > 32) return null;
            var body = plain.AsSpan(0, plain.Length - pad);
            var length = BinaryPrimitives.ReadInt32BigEndian(body[16..20]);
            if (length < 0 || 20 + length > body.Length) return null;
            return Encoding.UTF8.GetString(body[(20 + length)..]) == appId ? Encoding.UTF8.GetString(body.Slice(20, length)) : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What WeChat does: for the sandbox and the tests, which must speak the same protocol.</summary>
    public static string Encrypt(string message, string aesKey, string appId)
    {
        var text = Encoding.UTF8.GetBytes(message);
        var app = Encoding.UTF8.GetBytes(appId);
        var body = new byte[20 + text.Length + app.Length];
        RandomNumberGenerator.Fill(body.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(16, 4), text.Length);
        text.CopyTo(body, 20);
        app.CopyTo(body, 20 + text.Length);
        var pad = 32 - body.Length % 32;
        byte[] padded = [.. body, .. Enumerable.Repeat((byte)pad, pad)];
        using var aes = Aes.Create();
        aes.Key = Key(aesKey);
        return Convert.ToBase64String(aes.EncryptCbc(padded, aes.Key[..16], PaddingMode.None));
    }

    private static byte[] Key(string aesKey) => Convert.FromBase64String(aesKey + "=");
}
