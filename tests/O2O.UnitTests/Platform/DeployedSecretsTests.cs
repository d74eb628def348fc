using System.Security.Cryptography;
using System.Text.Json;
using O2O.Application.Auth;

namespace O2O.UnitTests.Platform;

public sealed class DeployedSecretsTests
{
    private static readonly string[] SecretKeys = [.. DeployedSecrets.OwnSecrets, .. DeployedSecrets.PartnerSecrets];

    [Fact]
    public void Every_secret_the_deployment_keeps_in_key_vault_is_checked_at_start()
    {
        var vaulted = ArmTemplateTests.SecretSettings.Select(s => s.Replace("__", ":", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var checkedAtStart = SecretKeys.Where(k =>
            k != "EventGrid:TopicKey").Order(StringComparer.Ordinal); // the topic is reached by managed identity in Azure

        Assert.Equal(vaulted, checkedAtStart);
    }

    [Fact]
    public void A_sample_secret_is_refused_for_what_it_is_and_the_samples_are_the_files_own()
    {
        Assert.Equal("contains 'change-me'", DeployedSecrets.Weakness("local-admin-key-change-me-0123456789", ownSecret: true));
        Assert.Equal("is the published sample value", DeployedSecrets.Weakness("sandbox-sf-dev-key", ownSecret: false));
        Assert.Null(DeployedSecrets.Weakness("a-partner-secret-nobody-published", ownSecret: false));
        var sample = JsonDocument.Parse(File.ReadAllText(RepoFiles.Path("local.settings.sample.json"))).RootElement.GetProperty("Values");
        Assert.Equal(sample.EnumerateObject().Select(p => p.Value.GetString() ?? "").Where(v => v.Length > 0).Order(StringComparer.Ordinal).Distinct(),
            DeployedSecrets.SampleValues.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("my-change-me-admin-key-that-is-long-enough-0123456789")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("abcabcabcabcabcabcabcabcabcabcabcabc")]
    [InlineData("Password123!")]
    public void A_placeholder_or_a_guessable_secret_is_refused(string secret) =>
        Assert.NotNull(DeployedSecrets.Weakness(secret, ownSecret: true));

    [Fact]
    public void Generated_secrets_pass_as_base64_and_as_hex()
    {
        Assert.Null(DeployedSecrets.Weakness(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ownSecret: true));
        Assert.Null(DeployedSecrets.Weakness(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ownSecret: true));
    }

    [Fact]
    public void Outside_development_every_sample_secret_is_named_and_in_development_none_is()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(RepoFiles.Path("local.settings.sample.json"))).RootElement.GetProperty("Values")
            .EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.GetString());
        DeployedSecrets Checked(bool development) => new(development, sample);

        var deployed = Checked(development: false).Validate(null, new AuthSettings());
        var development = Checked(development: true).Validate(null, new AuthSettings());

        Assert.True(deployed.Failed);
        Assert.All(["Auth__AdminApiKey", "Auth__SessionSigningKey", "Auth__StoreKeyPepper", "Notifications__WebhookKey", "WeChat__AppSecret", "Sf__DevKey"],
            key => Assert.Contains(deployed.Failures!, f => f.StartsWith(key + " ", StringComparison.Ordinal)));
        Assert.True(development.Succeeded);
    }

    [Fact]
    public void Strong_secrets_of_ones_own_start_a_deployed_app()
    {
        var strong = SecretKeys.ToDictionary(k => k, _ => (string?)Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var check = new DeployedSecrets(development: false, strong);

        Assert.True(check.Validate(null, new AuthSettings()).Succeeded);
    }
}
