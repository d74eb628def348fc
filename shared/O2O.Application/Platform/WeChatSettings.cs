namespace O2O.Application.Platform;

public sealed class WeChatSettings : ISettingsSection
{
    public static string SectionName => "WeChat";

    /// <summary>The mini-program's appid.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The mini-program's AppSecret (a Key Vault reference in Azure).</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The Token of the mini-program's message push (消息推送), which signs every push (a Key Vault reference in Azure).</summary>
    public string PushToken { get; set; } = "";

    /// <summary>The push's EncodingAESKey (43 characters) in safe mode, which encrypts every push (a Key Vault reference in Azure).</summary>
    public string PushAesKey { get; set; } = "";

    /// <summary>https://api.weixin.qq.com in Azure; the local host's WeChat sandbox locally.</summary>
    public string ApiBaseUrl { get; set; } = "";
}
