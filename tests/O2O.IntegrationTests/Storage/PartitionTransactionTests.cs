using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.Storage;

public sealed class PartitionTransactionTests
{
    [Fact]
    public async Task A_transaction_with_one_stale_etag_writes_nothing()
    {
        var table = await TableAsync();
        var partition = Guid.NewGuid().ToString("N");
        await table.AddEntityAsync(new TableEntity(partition, "a") { ["N"] = 1 });
        await table.AddEntityAsync(new TableEntity(partition, "b") { ["N"] = 1 });
        var a = (await table.GetEntityAsync<TableEntity>(partition, "a")).Value;
        var b = (await table.GetEntityAsync<TableEntity>(partition, "b")).Value;
        await table.UpdateEntityAsync(new TableEntity(partition, "b") { ["N"] = 2 }, ETag.All); // b's ETag is now stale

        a["N"] = 10;
        b["N"] = 10;
        var transaction = new PartitionTransaction(partition)
            .Add(TableTransactionActionType.UpdateReplace, a)
            .Add(TableTransactionActionType.UpdateReplace, b);
        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => transaction.SubmitAsync(table, CancellationToken.None));

        Assert.Equal(412, failure.Status);
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>(partition, "a")).Value.GetInt32("N"));
        Assert.Equal(2, (await table.GetEntityAsync<TableEntity>(partition, "b")).Value.GetInt32("N"));
    }

    [Fact]
    public async Task A_transaction_in_one_partition_commits_every_action()
    {
        var table = await TableAsync();
        var partition = Guid.NewGuid().ToString("N");
        var transaction = new PartitionTransaction(partition);
        for (var i = 0; i < PartitionTransaction.MaxActions; i++)
            transaction.Add(TableTransactionActionType.Add, new TableEntity(partition, $"r{i:D3}"));

        await transaction.SubmitAsync(table, CancellationToken.None);

        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == partition).CountAsync();
        Assert.Equal(PartitionTransaction.MaxActions, rows);
    }

    private static async Task<TableClient> TableAsync()
    {
        var azurite = await TestApp.SharedStorage;
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("TransactionProbe");
        await table.CreateIfNotExistsAsync();
        return table;
    }
}
