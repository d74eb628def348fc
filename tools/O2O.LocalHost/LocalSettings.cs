using System.Text.Json;

namespace O2O.LocalHost;

/// <summary>
/// Reads the "Values" of local.settings.json as the Functions host does: each becomes a setting,
/// with "__" meaning a configuration section (Auth__AdminApiKey is Auth:AdminApiKey).
/// </summary>
public static class LocalSettings
{
    public static Dictionary<string, string?> Load(string? path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (path is null) return values;
        if (!File.Exists(path)) throw new FileNotFoundException($"Settings file '{path}' does not exist; copy local.settings.sample.json there.", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Values", out var settings)) return values;
        foreach (var setting in settings.EnumerateObject())
            values[ToConfigurationKey(setting.Name)] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText();
        return values;
    }

    public static string ToConfigurationKey(string settingName) => settingName.Replace("__", ":", StringComparison.Ordinal);
}
