namespace O2O.Application.Payments.WeChatPay;

/// <summary>WeChat Pay API v3 merchant settings (protocols/WECHATPAY.md).</summary>
public sealed class WeChatPaySettings : ISettingsSection
{
    public static string SectionName => "WeChatPay";

    public string MchId { get; set; } = "";

    /// <summary>The APIv3 key that decrypts notifications (a Key Vault reference in Azure).</summary>
    public string ApiV3Key { get; set; } = "";

    /// <summary>"PUB_KEY_ID_..." of the WeChat Pay public key, when the merchant uses one.</summary>
    public string PlatformPublicKeyId { get; set; } = "";

    public string PlatformPublicKeyPem { get; set; } = "";

    /// <summary>Platform certificates (PEM, any number), for merchants still on certificates or migrating.</summary>
    public string PlatformCertificatesPem { get; set; } = "";

    public string MerchantSerialNo { get; set; } = "";

    /// <summary>The merchant's API private key (a Key Vault reference in Azure).</summary>
    public string MerchantPrivateKeyPem { get; set; } = "";

    /// <summary>https://api.mch.weixin.qq.com in Azure; the local host's WeChat Pay sandbox locally.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Where WeChat Pay posts notifications: this app's /api/payments/wechat/notify, https, no query.</summary>
    public string NotifyUrl { get; set; } = "";
}
