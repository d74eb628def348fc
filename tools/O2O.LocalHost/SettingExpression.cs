using System.Text.RegularExpressions;

namespace O2O.LocalHost;

/// <summary>Resolves binding expressions such as "%OrderEventsQueue%" from settings, as the Functions host does.</summary>
public static partial class SettingExpression
{
    public static string Resolve(string expression, IConfiguration configuration) =>
        Setting().Replace(expression, match =>
        {
            var name = match.Groups[1].Value;
            return configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                   ?? throw new InvalidOperationException($"Binding expression '{expression}' names setting '{name}', which is not set.");
        });

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
