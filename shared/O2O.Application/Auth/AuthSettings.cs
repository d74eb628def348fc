namespace O2O.Application.Auth;

public sealed class AuthSettings : ISettingsSection
{
    public static string SectionName => "Auth";

    /// <summary>The operator's bearer key (a Key Vault reference in Azure).</summary>
    public string AdminApiKey { get; set; } = "";

    /// <summary>The HMAC key that signs consumers' session tokens (a Key Vault reference in Azure).</summary>
    public string SessionSigningKey { get; set; } = "";

    /// <summary>A secret mixed into every store key's hash, so a leaked table alone cannot be brute-forced (a Key Vault reference in Azure).</summary>
    public string StoreKeyPepper { get; set; } = "";

    /// <summary>How long a store's previous key keeps working after a rotation, so tills can be updated without downtime.</summary>
    public int StoreKeyGraceMinutes { get; set; } = 60;
}
