using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace O2O.Application.Payments.WeChatPay;

/// <summary>The merchant's signing key and WeChat Pay's verification keys, parsed once from settings.</summary>
public sealed class WeChatPayKeys(IOptions<WeChatPaySettings> settings)
{
    private readonly Lazy<RSA> _merchant = new(() =>
    {
        var key = RSA.Create();
        key.ImportFromPem(settings.Value.MerchantPrivateKeyPem);
        return key;
    });

    private readonly Lazy<PlatformKeys> _platform = new(() => new PlatformKeys(
        settings.Value.PlatformPublicKeyId, settings.Value.PlatformPublicKeyPem, settings.Value.PlatformCertificatesPem));

    public RSA Merchant => _merchant.Value;

    public PlatformKeys Platform => _platform.Value;
}
