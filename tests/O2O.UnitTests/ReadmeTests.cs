using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using O2O.Functions.Operations;

namespace O2O.UnitTests;

/// <summary>The README is a map: short, every function findable from its "where is X" table, every image present.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(RepoFiles.Path("README.md"));

    [Fact]
    public void The_readme_stays_a_map_of_at_most_8_kb()
    {
        Assert.InRange(new FileInfo(RepoFiles.Path("README.md")).Length, 1, 8 * 1024);
    }

    [Fact]
    public void Every_function_of_the_app_is_named_in_the_where_is_table()
    {
        var table = Readme[Readme.IndexOf("## Where is X", StringComparison.Ordinal)..Readme.IndexOf("## Layout", StringComparison.Ordinal)];
        var functions = typeof(GetHealth).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .Select(t => t.Name)
            .ToList();

        Assert.NotEmpty(functions);
        Assert.All(functions, name => Assert.Matches($@"\b{name}\b", table));
    }

    [Fact]
    public void Every_image_and_local_link_of_the_readme_exists()
    {
        var targets = LocalLink().Matches(Readme).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("docs/images/console-queue.png", targets);
        Assert.Contains("docs/images/console-verify.png", targets);
        Assert.All(targets, target => Assert.True(File.Exists(RepoFiles.Path(target.Split('/'))), $"README links {target}, which is missing"));
    }

    /// <summary>Links and images to files of the repository (not web addresses, not anchors).</summary>
    [GeneratedRegex(@"\]\((?!https?:|#)([^)\s#]+)\)")]
    private static partial Regex LocalLink();
}
