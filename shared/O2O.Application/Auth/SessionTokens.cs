using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace O2O.Application.Auth;

/// <summary>
/// Consumers' session tokens: "v1.{openid}.{expiry unix seconds}.{HMAC-SHA256}", base64url. They
/// are stateless, so checking one costs no storage read; they expire, and a new signing key
/// ends every session at once.
/// </summary>
public sealed class SessionTokens(IOptions<AuthSettings> settings, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    public const int MinKeyLength = 32;

    /// <summary>Instances' clocks differ a little: a token from one that runs ahead is still good.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(1);

    private readonly byte[]? _key = settings.Value.SessionSigningKey.Length >= MinKeyLength
        ? Encoding.UTF8.GetBytes(settings.Value.SessionSigningKey)
        : null;

    public (string Token, DateTimeOffset ExpiresAt) Issue(string openId)
    {
        var key = _key ?? throw new InvalidOperationException($"Auth__SessionSigningKey must be at least {MinKeyLength} characters.");
        var expiresAt = clock.GetUtcNow() + Lifetime;
        var payload = $"v1.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(openId))}.{expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        return ($"{payload}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)))}",
            DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>The openid the token was issued to, or null if it is forged, altered, expired or malformed.</summary>
    public string? Validate(string? token)
    {
        if (_key is null || string.IsNullOrEmpty(token) || token.Length > 512) return null;
        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != "v1") return null;
        var payload = $"{parts[0]}.{parts[1]}.{parts[2]}";
        var expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload));
        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(presented, expected)) return null;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // We never issue a token that lasts longer than the lifetime: one that claims to was not ours to begin with.
        if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            || now >= expiry || expiry - now > (long)(Lifetime + MaxClockSkew).TotalSeconds) return null;
        return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
    }
}
