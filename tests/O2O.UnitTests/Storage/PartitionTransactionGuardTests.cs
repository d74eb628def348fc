using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.UnitTests.Storage;

/// <summary>Azurite would accept what these refuse; Azure would not.</summary>
public sealed class PartitionTransactionGuardTests
{
    [Fact]
    public void An_entity_of_another_partition_is_refused()
    {
        var transaction = new PartitionTransaction("store-1").Add(TableTransactionActionType.Add, new TableEntity("store-1", "a"));

        var refused = Assert.Throws<InvalidOperationException>(() =>
            transaction.Add(TableTransactionActionType.Add, new TableEntity("store-2", "a")));

        Assert.Contains("store-2", refused.Message, StringComparison.Ordinal);
        Assert.Single(transaction.Actions);
    }

    [Fact]
    public void The_hundred_and_first_action_is_refused()
    {
        var transaction = new PartitionTransaction("p");
        for (var i = 0; i < 100; i++) transaction.Add(TableTransactionActionType.Add, new TableEntity("p", $"r{i}"));

        Assert.Throws<InvalidOperationException>(() => transaction.Add(TableTransactionActionType.Add, new TableEntity("p", "r100")));
        Assert.Equal(100, transaction.Actions.Count);
    }

    [Fact]
    public async Task An_empty_transaction_is_refused_before_any_call()
    {
        var table = new TableClient(new Uri("http://127.0.0.1:9/devstoreaccount1/none"), "none", new TableSharedKeyCredential("a", "AAAA"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => new PartitionTransaction("p").SubmitAsync(table, CancellationToken.None));
    }
}
