using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using O2O.Application.Auth;

namespace O2O.IntegrationTests.Platform;

/// <summary>The app as deployed (no development environment): it will not start with a published or guessable secret.</summary>
public sealed class DeployedSecretsTests
{
    [Fact]
    public async Task A_deployed_app_refuses_to_start_with_the_samples_admin_key_and_starts_with_secrets_of_its_own()
    {
        var strong = DeployedSecrets.OwnSecrets.ToDictionary(k => k.Replace(":", "__", StringComparison.Ordinal),
            _ => (string?)Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        strong[DeployedSecrets.EnvironmentKey] = "Production";
        strong["HeadOffice__Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";
        var withSample = new Dictionary<string, string?>(strong) { ["Auth__AdminApiKey"] = "local-admin-key-change-me-0123456789" };
        // The local sandbox's authority: plain http, so anyone on the way could make its tokens.
        var withSandboxSignIn = new Dictionary<string, string?>(strong) { ["HeadOffice__Authority"] = "http://127.0.0.1:7071/sandbox/entra/t/v2.0" };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(TestApp.HttpFunctionTypes, overrides: withSample));
        var refusedSignIn = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestApp.StartAsync(TestApp.HttpFunctionTypes, overrides: withSandboxSignIn));
        await using var started = await TestApp.StartAsync(TestApp.HttpFunctionTypes, overrides: strong);

        Assert.Contains(refused.Failures, f => f.StartsWith("Auth__AdminApiKey contains 'change-me'", StringComparison.Ordinal));
        Assert.DoesNotContain(refused.Failures, f => f.StartsWith("Auth__SessionSigningKey", StringComparison.Ordinal));
        Assert.StartsWith("HeadOffice__Authority must be https://", Assert.Single(refusedSignIn.Failures), StringComparison.Ordinal);
        Assert.True((await started.Http.GetAsync("/api/health")).IsSuccessStatusCode);
    }
}
