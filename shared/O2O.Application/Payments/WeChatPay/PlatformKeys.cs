using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace O2O.Application.Payments.WeChatPay;

/// <summary>
/// The keys WeChat Pay signs with, by the serial it names in Wechatpay-Serial: the WeChat Pay
/// public key ("PUB_KEY_ID_...", the default for merchants since late 2024) and any number of
/// platform certificates (hex serials). During a migration both arrive at random, so both are
/// kept. An unknown serial is a failed verification, never a skipped one.
/// </summary>
public sealed class PlatformKeys
{
    private readonly Dictionary<string, RSA> _bySerial = new(StringComparer.OrdinalIgnoreCase);

    public PlatformKeys(string? publicKeyId, string? publicKeyPem, string? certificatesPem)
    {
        if (!string.IsNullOrWhiteSpace(publicKeyId) && !string.IsNullOrWhiteSpace(publicKeyPem))
        {
            var key = RSA.Create();
            key.ImportFromPem(publicKeyPem);
            _bySerial[Normalize(publicKeyId)] = key;
        }
        if (!string.IsNullOrWhiteSpace(certificatesPem))
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(certificatesPem);
            foreach (var certificate in certificates)
                _bySerial[Normalize(certificate.SerialNumber)] = certificate.GetRSAPublicKey()
                    ?? throw new InvalidOperationException("A WeChat Pay platform certificate must hold an RSA key.");
        }
    }

    public IReadOnlyCollection<string> Serials => _bySerial.Keys;

    public RSA? Find(string? serial) => serial is not null && _bySerial.TryGetValue(Normalize(serial), out var key) ? key : null;

    /// <summary>
    /// Certificate serials as WeChat Pay writes them: upper-case hex without leading zeros (.NET
    /// pads a positive ASN.1 integer with "00").
    /// </summary>
    private static string Normalize(string serial) =>
        serial.StartsWith("PUB_KEY_ID_", StringComparison.Ordinal) ? serial : serial.TrimStart('0').ToUpperInvariant();
}
