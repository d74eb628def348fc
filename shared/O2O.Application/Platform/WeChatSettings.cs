namespace O2O.Application.Platform;

public sealed class WeChatSettings : ISettingsSection
{
    public static string SectionName => "WeChat";

    /// <summary>The mini-program's appid.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The mini-program's AppSecret (a Key Vault reference in Azure).</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>https://api.weixin.qq.com in Azure; the local host's WeChat sandbox locally.</summary>
    public string ApiBaseUrl { get; set; } = "";
}
