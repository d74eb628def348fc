using System.Text.RegularExpressions;

namespace O2O.UnitTests;

/// <summary>
/// The shape of shared/O2O.Application: which feature folders use each other both ways. Today's
/// pairs are listed; a new one fails here, so a feature that starts to lean on another the wrong
/// way round is seen in review (and a pair that goes away must be taken off the list, so the list
/// only shrinks). A folder uses another by a using directive or a name qualified by its namespace.
/// </summary>
public sealed class FolderDependencyTests
{
    private static readonly string[] AllowedTwoWayPairs =
    [
        "Agents-Orders", "Agents-Payments", "Dispatch-Orders", "Dispatch-Payments", "Dispatch-Pickup", "Dispatch-StoreOrders",
        "Orders-Payments", "Orders-Pickup", "Orders-StoreOrders",
    ];

    [Fact]
    public void Only_todays_feature_folders_use_each_other_both_ways()
    {
        var root = RepoFiles.Path("shared", "O2O.Application");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Cast<string>().ToList();
        var uses = folders.ToDictionary(f => f, f => Directory.EnumerateFiles(Path.Combine(root, f), "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .SelectMany(text => folders.Where(other => other != f && Uses(text, other)))
            .ToHashSet());

        var twoWay = folders.SelectMany(a => uses[a].Where(b => uses[b].Contains(a) && string.CompareOrdinal(a, b) < 0).Select(b => $"{a}-{b}")).Order(StringComparer.Ordinal).ToList();

        Assert.True(uses["Orders"].Count > 0, "no folder uses another: the scan found nothing to judge");
        Assert.Equal(AllowedTwoWayPairs, twoWay);
    }

    private static bool Uses(string text, string folder) =>
        text.Contains($"O2O.Application.{folder};", StringComparison.Ordinal) || text.Contains($"O2O.Application.{folder}.", StringComparison.Ordinal)
        || Regex.IsMatch(text, $@"(?<![\w.]){folder}\.[A-Z]\w+");
}
