namespace O2O.Application.Platform;

public sealed class AuthSettings : ISettingsSection
{
    public static string SectionName => "Auth";

    /// <summary>The operator's bearer key (a Key Vault reference in Azure).</summary>
    public string AdminApiKey { get; set; } = "";

    /// <summary>The HMAC key that signs consumers' session tokens (a Key Vault reference in Azure).</summary>
    public string SessionSigningKey { get; set; } = "";
}
