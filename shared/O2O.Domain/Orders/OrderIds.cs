using System.Security.Cryptography;
using System.Text;

namespace O2O.Domain.Orders;

/// <summary>
/// Order ids carry the consumer's partition and are derived from the Idempotency-Key, so a
/// repeated request names the same order (and collides with it in storage) without a lookup
/// table, and the owner check needs no read. An id is 30 characters of [0-9a-z-]: a valid WeChat
/// Pay out_trade_no (6–32 of [0-9A-Za-z_-|*]).
/// </summary>
public static class OrderIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lowercase
    private const int ConsumerKeyLength = 16;
    private const int SuffixLength = 12;

    /// <summary>The consumer's partition key: "c" and a hash of the openid, which never appears in storage keys.</summary>
    public static string ConsumerKey(string openId) => "c" + Base32(Encoding.UTF8.GetBytes("consumer:" + openId), ConsumerKeyLength - 1);

    public static string ForRequest(string consumerKey, string idempotencyKey) =>
        consumerKey + "-" + Base32(Encoding.UTF8.GetBytes(consumerKey + "\n" + idempotencyKey), SuffixLength);

    /// <summary>The consumer partition an order id belongs to, or null if it is not an order id.</summary>
    public static string? ConsumerKeyOf(string orderId) =>
        orderId.Length == ConsumerKeyLength + 1 + SuffixLength && orderId[ConsumerKeyLength] == '-' && orderId[0] == 'c'
        && orderId.Remove(ConsumerKeyLength, 1).All(c => Alphabet.Contains(c, StringComparison.Ordinal))
            ? orderId[..ConsumerKeyLength]
            : null;

    private static string Base32(byte[] input, int length)
    {
        var hash = SHA256.HashData(input);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            // 5 bits per character, read across byte boundaries.
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[bit / 8 + 1]) >> (11 - bit % 8) & 31;
            chars[i] = Alphabet[value];
        }
        return new string(chars);
    }
}
