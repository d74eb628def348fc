using System.Text.RegularExpressions;

namespace O2O.UnitTests;

public sealed partial class ReadmeImagesTests
{
    [Fact]
    public void Every_image_the_readme_shows_is_in_the_repository()
    {
        var readme = File.ReadAllText(RepoFiles.Path("README.md"));

        var images = ImageLink().Matches(readme).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("docs/images/console-queue.png", images);
        Assert.Contains("docs/images/console-verify.png", images);
        Assert.All(images, image => Assert.True(File.Exists(RepoFiles.Path(image.Split('/'))), $"README shows {image}, which is missing"));
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex ImageLink();
}
