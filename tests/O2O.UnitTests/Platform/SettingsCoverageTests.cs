using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using O2O.Application;
using O2O.Application.Notifications;
using O2O.Application.Storage;

namespace O2O.UnitTests.Platform;

/// <summary>A setting the code reads but the deployment forgets is an outage at the first request.</summary>
public sealed partial class SettingsCoverageTests
{
    /// <summary>Identity-based storage in Azure, the host's and the app's data apart; a connection string locally.</summary>
    private static readonly string[] IdentityStorageSettings =
        ["AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
         "DataStorage__credential", "DataStorage__clientId", "DataStorage__queueServiceUri", "DataStorage__tableServiceUri"];

    public static TheoryData<string> SectionSettings() => new(
        typeof(ISettingsSection).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsAssignableTo(typeof(ISettingsSection)))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => $"{t.GetProperty(nameof(ISettingsSection.SectionName))!.GetValue(null)}__{p.Name}")));

    [Theory]
    [MemberData(nameof(SectionSettings))]
    public void Every_setting_is_in_the_local_sample_and_set_by_the_bicep(string setting)
    {
        Assert.Contains(setting, LocalSampleSettings());
        Assert.Contains(setting, BicepAppSettings());
    }

    [Fact]
    public void Storage_is_a_connection_string_locally_and_an_identity_in_azure()
    {
        Assert.Equal("UseDevelopmentStorage=true", LocalSampleSettings()[StorageClients.SettingName]);
        Assert.Equal("UseDevelopmentStorage=true", LocalSampleSettings()["AzureWebJobsStorage"]);
        foreach (var setting in IdentityStorageSettings) Assert.Contains(setting, BicepAppSettings());
        Assert.DoesNotContain(StorageClients.SettingName, BicepAppSettings());
        Assert.DoesNotContain("AzureWebJobsStorage", BicepAppSettings());
    }

    [Fact]
    public void No_code_reads_a_setting_by_name_outside_the_settings_classes()
    {
        var allowed = new[] { "StorageClients.cs", "ServiceCollectionExtensions.cs" };
        var offenders = Directory.EnumerateFiles(RepoFiles.Path("shared"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepoFiles.Path("functions"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !allowed.Contains(Path.GetFileName(f)))
            .Where(f => ConfigurationRead().IsMatch(File.ReadAllText(f)))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_notifications_subscription_delivers_what_consumers_are_told_in_azure_and_in_the_sandbox()
    {
        var bicep = File.ReadAllText(RepoFiles.Path("infra", "subscription.bicep"));
        var filter = IncludedEventTypes().Match(bicep);
        Assert.True(filter.Success, "subscription.bicep has no includedEventTypes filter");
        var inAzure = Regex.Matches(filter.Groups[1].Value, "'([^']+)'").Select(m => m.Groups[1].Value).Order().ToList();
        var inSandbox = LocalSampleSettings()["Sandbox__EventGridIncludedEventTypes"]!.Split(',').Order().ToList();

        Assert.Equal(ConsumerNotifications.EventTypes.Order().ToList(), inAzure);
        Assert.Equal(inAzure, inSandbox);
    }

    private static Dictionary<string, string?> LocalSampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepoFiles.Path("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
    }

    /// <summary>The keys of <c>var appSettings = { ... }</c> in infra/app/function-app.bicep.</summary>
    private static HashSet<string> BicepAppSettings()
    {
        var block = AppSettingsBlock().Match(File.ReadAllText(RepoFiles.Path("infra", "app", "function-app.bicep")));
        Assert.True(block.Success, "function-app.bicep has no 'var appSettings = { ... }' block");
        return BicepKey().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^var appSettings = \{\n(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex AppSettingsBlock();

    [GeneratedRegex(@"includedEventTypes: \[(.*?)\]", RegexOptions.Singleline)]
    private static partial Regex IncludedEventTypes();

    [GeneratedRegex(@"^\s*'?([A-Za-z][A-Za-z0-9_]*)'?\s*:", RegexOptions.Multiline)]
    private static partial Regex BicepKey();

    [GeneratedRegex(@"configuration\s*\[|GetSection\(|GetValue<|GetConnectionString\(|Environment\.GetEnvironmentVariable")]
    private static partial Regex ConfigurationRead();
}
