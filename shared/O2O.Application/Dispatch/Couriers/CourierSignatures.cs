using System.Security.Cryptography;
using System.Text;

namespace O2O.Application.Dispatch.Couriers;

/// <summary>The three platforms' signature schemes, as pure functions (see ../shared/protocols/COURIERS.md).</summary>
public static class CourierSignatures
{
    /// <summary>
    /// Dada webhooks: the values of client_id, order_id and update_time, as strings, sorted
    /// ascending (by value, not by key), concatenated, MD5, lowercase hex.
    /// </summary>
    public static string DadaWebhook(string clientId, string orderId, string updateTime)
    {
        string[] values = [clientId, orderId, updateTime];
        Array.Sort(values, StringComparer.Ordinal);
        return Md5Hex(string.Concat(values));
    }

    /// <summary>
    /// Dada API requests: app_secret + each of app_key, body, format, source_id, timestamp, v as
    /// name followed by value, in name order, + app_secret, MD5, uppercase hex. (From Dada's open
    /// platform documentation; no public test vector, so it is unconfirmed beyond that.)
    /// </summary>
    public static string DadaRequest(string appSecret, IReadOnlyDictionary<string, string> parameters)
    {
        var text = new StringBuilder(appSecret);
        foreach (var (name, value) in parameters.Where(p => p.Key != "signature").OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(name).Append(value);
        return Md5Hex(text.Append(appSecret).ToString()).ToUpperInvariant();
    }

    /// <summary>
    /// Meituan delivery, both ways: every non-empty parameter but sign, sorted by name, joined as
    /// secret + k1 + v1 + k2 + v2 ..., SHA1 of the UTF-8 bytes, lowercase hex.
    /// </summary>
    public static string Meituan(string secret, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var text = new StringBuilder(secret);
        foreach (var (name, value) in parameters.Where(p => p.Key != "sign" && !string.IsNullOrEmpty(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(name).Append(value);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>SF same-city, both ways: base64 of the lowercase hex MD5 of rawBody + "&amp;" + devId + "&amp;" + devKey.</summary>
    public static string Sf(string rawBody, string devId, string devKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Md5Hex($"{rawBody}&{devId}&{devKey}")));

    /// <summary>Compares signatures in constant time.</summary>
    public static bool Matches(string expected, string? actual) =>
        actual is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

#pragma warning disable CA5351 // MD5 is what the platforms specify; it authenticates nothing on our side beyond their scheme.
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
