using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace O2O.LocalHost;

/// <summary>
/// The dev merchant's and the WeChat Pay sandbox's key pairs and APIv3 key. Generated on first
/// run into local.settings.json (which git ignores), so no key is ever committed.
/// </summary>
public static class DevKeys
{
    public const string PlatformPrivateKeySetting = "Sandbox__WeChatPayPlatformPrivateKeyPem";

    public static Dictionary<string, string> Generate()
    {
        using var merchant = RSA.Create(2048);
        using var platform = RSA.Create(2048);
        return new Dictionary<string, string>
        {
            ["WeChatPay__ApiV3Key"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), // 32 characters: AES-256
            ["WeChatPay__MerchantSerialNo"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
            ["WeChatPay__MerchantPrivateKeyPem"] = merchant.ExportPkcs8PrivateKeyPem(),
            ["WeChatPay__PlatformPublicKeyId"] = "PUB_KEY_ID_" + string.Concat(RandomNumberGenerator.GetBytes(16).Select(b =>
                (b % 10).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            ["WeChatPay__PlatformPublicKeyPem"] = platform.ExportSubjectPublicKeyInfoPem(),
            [PlatformPrivateKeySetting] = platform.ExportPkcs8PrivateKeyPem(),
        };
    }

    /// <summary>Adds keys to the settings file if it has none yet; true when it wrote them.</summary>
    public static bool EnsureIn(string settingsFile)
    {
        var root = JsonNode.Parse(File.ReadAllText(settingsFile))!.AsObject();
        var values = root["Values"]?.AsObject() ?? throw new InvalidOperationException($"{settingsFile} has no Values.");
        if (!string.IsNullOrWhiteSpace(values["WeChatPay__MerchantPrivateKeyPem"]?.GetValue<string>())) return false;
        foreach (var (name, value) in Generate()) values[name] = value;
        File.WriteAllText(settingsFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return true;
    }
}
