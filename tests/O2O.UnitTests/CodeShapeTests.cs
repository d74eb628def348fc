using System.Text.RegularExpressions;

namespace O2O.UnitTests;

/// <summary>
/// Fitness rules that keep the tree's shape. Which feature folders of shared/O2O.Application use
/// each other both ways: today's pairs are listed, a new one fails here, so a feature that starts
/// to lean on another the wrong way round is seen in review (and a pair that goes away must leave
/// the list, so it only shrinks); a folder uses another by a using directive or a name qualified
/// by its namespace. No file in shared/ grows past what one reads in one sitting, and no line of C#
/// past the .editorconfig's max_line_length.
/// </summary>
public sealed class CodeShapeTests
{
    public const int MaxLinesPerFile = 300;

    private static readonly string[] AllowedTwoWayPairs =
    [
        "Agents-Orders", "Agents-Payments", "Dispatch-Payments", "Dispatch-StoreOrders", "Orders-Payments",
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

        var twoWay = folders.SelectMany(a => uses[a].Where(b => uses[b].Contains(a) && string.CompareOrdinal(a,
            b) < 0).Select(b => $"{a}-{b}")).Order(StringComparer.Ordinal).ToList();

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

    /// <summary>
    /// The .editorconfig's max_line_length for C#, which dotnet format does not enforce. Lines inside
    /// a raw string literal are exempt: they are golden payloads, which say what they say.
    /// </summary>
    [Fact]
    public void No_line_of_csharp_is_longer_than_the_editorconfig_allows()
    {
        var max = int.Parse(Regex.Match(File.ReadAllText(RepoFiles.Path(".editorconfig")), @"max_line_length = (\d+)").Groups[1].Value);
        var files = new[] { "shared", "functions", "tests", "tools" }
            .SelectMany(d => Directory.EnumerateFiles(RepoFiles.Path(d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var tooLong = new List<string>();
        foreach (var file in files)
        {
            var inRaw = false;
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var quotes = Regex.Matches(line, "\"\"\"").Count;
                if (line.Length > max && !inRaw && quotes == 0) tooLong.Add($"{Path.GetRelativePath(RepoFiles.Root, file)}:{number} ({line.Length})");
                if (quotes % 2 == 1) inRaw = !inRaw;
            }
        }

        Assert.True(max is >= 80 and <= 200, $"max_line_length {max}");
        Assert.True(files.Count > 200, $"{files.Count} files");
        Assert.Empty(tooLong);
    }
}
