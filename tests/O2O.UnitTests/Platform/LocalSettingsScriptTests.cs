using System.Diagnostics;
using System.Text.Json;
using O2O.Application.Auth;

namespace O2O.UnitTests.Platform;

/// <summary>run.sh's first step (scripts/local-settings.js): a developer's machine never runs on the published secrets.</summary>
public sealed class LocalSettingsScriptTests
{
    private static readonly string[] Generated = ["Auth__AdminApiKey", "Auth__SessionSigningKey", "Auth__StoreKeyPepper"];

    [Fact]
    public async Task The_first_start_makes_this_machines_own_secrets_and_later_starts_keep_them()
    {
        var local = Path.Combine(Directory.CreateTempSubdirectory("o2o-settings-").FullName, "local.settings.json");

        await RunAsync(local);
        var first = Secrets(local);
        await RunAsync(local);
        var again = Secrets(local);

        var sample = Secrets(RepoFiles.Path("local.settings.sample.json"));
        Assert.All(Generated, k => Assert.NotEqual(sample[k], first[k]));
        Assert.All(Generated, k => Assert.Null(DeployedSecrets.Weakness(first[k], ownSecret: true)));
        Assert.Equal(first, again);
        Assert.NotEqual(first["Auth__AdminApiKey"], first["Auth__SessionSigningKey"]);
    }

    private static Dictionary<string, string> Secrets(string path) =>
        JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("Values").EnumerateObject()
            .Where(p => Generated.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private static async Task RunAsync(string local)
    {
        using var node = Process.Start(new ProcessStartInfo("node",
            [RepoFiles.Path("scripts", "local-settings.js"), RepoFiles.Path("local.settings.sample.json"), local])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, output);
    }
}
