using System.Text.Json;

namespace O2O.UnitTests.Platform;

/// <summary>
/// The Azure Well-Architected checks PSRule for Azure runs on a template, each named after the
/// PSRule rule it mirrors, over the compiled ARM: PSRule itself is not installable here, so these
/// keep the rules that matter for this app instead of a run of the tool.
/// </summary>
public sealed class WellArchitectedTests
{
    public static TheoryData<string> Rules => new(Checks.Keys);

    private static readonly Dictionary<string, Func<bool>> Checks = new(StringComparer.Ordinal)
    {
        ["Azure.Storage.SecureTransfer"] = () => Props("Microsoft.Storage/storageAccounts").GetProperty("supportsHttpsTrafficOnly").GetBoolean(),
        ["Azure.Storage.MinTLS"] = () => Props("Microsoft.Storage/storageAccounts").GetProperty("minimumTlsVersion").GetString() == "TLS1_2",
        ["Azure.Storage.BlobPublicAccess"] = () => !Props("Microsoft.Storage/storageAccounts").GetProperty("allowBlobPublicAccess").GetBoolean(),
        ["Azure.Storage.LocalAuth"] = () => !Props("Microsoft.Storage/storageAccounts").GetProperty("allowSharedKeyAccess").GetBoolean(),
        ["Azure.Storage.SoftDelete"] = () => Retention("deleteRetentionPolicy"),
        ["Azure.Storage.ContainerSoftDelete"] = () => Retention("containerDeleteRetentionPolicy"),
        ["Azure.KeyVault.SoftDelete"] = () => Props("Microsoft.KeyVault/vaults").GetProperty("enableSoftDelete").GetBoolean(),
        ["Azure.KeyVault.PurgeProtect"] = () => Props("Microsoft.KeyVault/vaults").GetProperty("enablePurgeProtection").GetBoolean(),
        ["Azure.KeyVault.Logs"] = () => Diagnostics().Any(d =>
            d.GetProperty("scope").GetString()!.Contains("Microsoft.KeyVault/vaults", StringComparison.Ordinal)
            && d.GetProperty("properties").TryGetProperty("workspaceId", out _) && AuditLogged(d.GetProperty("properties"))),
        ["Azure.EventGrid.DisableLocalAuth"] = () => Props("Microsoft.EventGrid/topics").GetProperty("disableLocalAuth").GetBoolean(),
        ["Azure.EventGrid.ManagedIdentity"] = () => Identity("Microsoft.EventGrid/topics") is "SystemAssigned" or "UserAssigned",
        ["Azure.AppService.UseHTTPS"] = () => Props("Microsoft.Web/sites").GetProperty("httpsOnly").GetBoolean(),
        ["Azure.AppService.MinTLS"] = () => Props("Microsoft.Web/sites").GetProperty("siteConfig").GetProperty("minTlsVersion").GetString() == "1.2",
        ["Azure.AppService.ManagedIdentity"] = () => Identity("Microsoft.Web/sites") is "SystemAssigned" or "UserAssigned",
        ["Azure.AppInsights.Workspace"] = () => Props("Microsoft.Insights/components").TryGetProperty("WorkspaceResourceId", out _),
        ["Azure.AppInsights.LocalAuth"] = () => Props("Microsoft.Insights/components").GetProperty("DisableLocalAuth").GetBoolean(),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_template_passes(string rule) => Assert.True(Checks[rule](), $"{rule} fails on infra/main.bicep");

    private static JsonElement Props(string type) => ArmTemplateTests.Resource(type).GetProperty("properties");

    private static string? Identity(string type) =>
        ArmTemplateTests.Resource(type).TryGetProperty("identity", out var identity) ? identity.GetProperty("type").GetString() : null;

    private static bool Retention(string policy) =>
        Props("Microsoft.Storage/storageAccounts/blobServices").GetProperty(policy) is var p && p.GetProperty("enabled").GetBoolean()
        && p.GetProperty("days").GetInt32() >= 7;

    private static bool AuditLogged(JsonElement settings) =>
        settings.GetProperty("logs").EnumerateArray()
            .Any(l => l.GetProperty("categoryGroup").GetString() is "audit" or "allLogs" && l.GetProperty("enabled").GetBoolean());

    private static IEnumerable<JsonElement> Diagnostics() =>
        ArmTemplateTests.Resources(ArmTemplateTests.Main.Value).Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            .SelectMany(d => ArmTemplateTests.Resources(d.GetProperty("properties").GetProperty("template")))
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Insights/diagnosticSettings");
}
