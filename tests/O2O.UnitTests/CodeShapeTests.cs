using System.Text.RegularExpressions;

namespace O2O.UnitTests;

/// <summary>
/// Fitness rules that keep the tree's shape. Which feature folders of shared/O2O.Application use
/// each other both ways: today's pairs are listed, a new one fails here, so a feature that starts
/// to lean on another the wrong way round is seen in review (and a pair that goes away must leave
/// the list, so it only shrinks); a folder uses another by a using directive or a name qualified
/// by its namespace. And no file in shared/ grows past what one reads in one sitting.
/// </summary>
public sealed class CodeShapeTests
{
    public const int MaxLinesPerFile = 300;

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

    [Fact]
    public void No_file_in_shared_is_longer_than_a_sitting()
    {
        var files = Directory.EnumerateFiles(RepoFiles.Path("shared"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.True(files.Count > 100, $"{files.Count} files");
        var tooLong = files.Select(f => (Name: Path.GetRelativePath(RepoFiles.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLinesPerFile).Select(f => $"{f.Name}: {f.Lines} lines").ToList();
        Assert.Empty(tooLong);
    }
}
