using System.Text.RegularExpressions;
using O2O.Application.Storage;

namespace O2O.UnitTests.Platform;

public sealed partial class StorageNamesTests
{
    [Fact]
    public void The_bicep_creates_every_table_and_queue_the_app_uses()
    {
        var bicep = File.ReadAllText(RepoFiles.Path("infra", "app", "storage.bicep"));

        Assert.Equal(StorageNames.Tables.Order(), NamesIn(bicep, "tableNames").Order());
        Assert.Equal(StorageNames.Queues.Order(), NamesIn(bicep, "queueNames").Order());
    }

    [Fact]
    public void Names_are_valid_for_azure_storage()
    {
        Assert.All(StorageNames.Tables, t => Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", t));
        Assert.All(StorageNames.Queues, q => Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", q));
    }

    private static IEnumerable<string> NamesIn(string bicep, string variable)
    {
        var list = Regex.Match(bicep, $@"^var {variable} = \[(.*?)\]", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(list.Success, $"storage.bicep has no 'var {variable} = [...]'");
        return Quoted().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value);
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
