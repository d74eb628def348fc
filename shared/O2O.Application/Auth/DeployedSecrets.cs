using System.Text.Json;
using Microsoft.Extensions.Options;

namespace O2O.Application.Auth;

/// <summary>
/// A deployed app refuses to start with a secret anyone can read or guess: a value published in
/// local.settings.sample.json (embedded in this assembly, so the list cannot drift from the file),
/// one containing "change-me", or, for the secrets this app makes itself, fewer than
/// <see cref="MinEntropyBits"/> bits by a simple estimate. Only a host that says it is the local
/// development one (AZURE_FUNCTIONS_ENVIRONMENT=Development, as Core Tools and the local host do)
/// may run with them.
/// </summary>
/// <param name="development">The host is a developer's own (its configuration says so).</param>
/// <param name="secrets">The values of <see cref="OwnSecrets"/> and <see cref="PartnerSecrets"/>, by configuration key.</param>
public sealed class DeployedSecrets(bool development, IReadOnlyDictionary<string, string?> secrets) : IValidateOptions<AuthSettings>
{
    public const string EnvironmentKey = "AZURE_FUNCTIONS_ENVIRONMENT";
    public const int MinEntropyBits = 128;

    /// <summary>Secrets we generate (a person picks them at deployment): checked for samples and for entropy.</summary>
    public static readonly IReadOnlyList<string> OwnSecrets = ["Auth:AdminApiKey", "Auth:SessionSigningKey", "Auth:StoreKeyPepper", "Notifications:WebhookKey"];

    /// <summary>Secrets a partner issues in its own format: checked for samples only; an unset one is refused elsewhere, or means the feature is off.</summary>
    public static readonly IReadOnlyList<string> PartnerSecrets =
    [
        "WeChat:AppSecret", "WeChat:PushToken", "WeChat:PushAesKey", "WeChatPay:ApiV3Key", "WeChatPay:MerchantPrivateKeyPem", "EventGrid:TopicKey",
        "Dada:AppSecret", "Meituan:Secret", "Sf:DevKey",
    ];

    /// <summary>Every value of the published sample settings.</summary>
    public static readonly IReadOnlySet<string> SampleValues = LoadSampleValues();

    public ValidateOptionsResult Validate(string? name, AuthSettings options)
    {
        if (development) return ValidateOptionsResult.Success;
        string Value(string key) => secrets.GetValueOrDefault(key) ?? "";
        var failures = OwnSecrets.Select(key => (key, why: Weakness(Value(key), ownSecret: true)))
            .Concat(PartnerSecrets.Where(key => Value(key).Length > 0).Select(key => (key, why: Weakness(Value(key), ownSecret: false))))
            .Where(f => f.why is not null)
            .Select(f => $"{f.key.Replace(":", "__", StringComparison.Ordinal)} {f.why}; set a secret of your own (docs/deploying.md).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why a secret is not fit for a deployed app, or null.</summary>
    public static string? Weakness(string value, bool ownSecret)
    {
        if (value.Contains("change-me", StringComparison.OrdinalIgnoreCase)) return "contains 'change-me'";
        if (SampleValues.Contains(value)) return "is the published sample value";
        if (ownSecret && EntropyBits(value) is var bits and < MinEntropyBits)
            return $"is too guessable (about {bits} bits; {MinEntropyBits} are needed, e.g. openssl rand -base64 32)";
        return null;
    }

    /// <summary>
    /// A generous estimate: the length times the bits of the character classes used, but no more
    /// than the distinct characters allow, so "aaaa…" or a short word repeated scores low.
    /// </summary>
    public static int EntropyBits(string value)
    {
        var classes = (value.Any(char.IsAsciiLetterLower) ? 26 : 0) + (value.Any(char.IsAsciiLetterUpper) ? 26 : 0)
                      + (value.Any(char.IsAsciiDigit) ? 10 : 0) + (value.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 33 : 0);
        var distinct = value.Distinct().Count();
        return classes == 0 ? 0 : (int)(value.Length * Math.Log2(Math.Min(classes, distinct * 2)));
    }

    private static HashSet<string> LoadSampleValues()
    {
        using var stream = typeof(DeployedSecrets).Assembly.GetManifestResourceStream("local.settings.sample.json")
                           ?? throw new InvalidOperationException("local.settings.sample.json is not embedded in O2O.Application.");
        using var sample = JsonDocument.Parse(stream);
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => p.Value.GetString() ?? "").Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
