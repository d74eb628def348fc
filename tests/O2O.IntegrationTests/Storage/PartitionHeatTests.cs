using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.Storage;

/// <summary>The benchmark's partition heat reads each kind of request the app sends for its table and partition.</summary>
public sealed class PartitionHeatTests
{
    [Fact]
    public async Task Point_operations_inserts_queries_and_batches_are_counted_on_their_partition()
    {
        var heat = new PartitionHeat(TimeProvider.System);
        var options = new TableClientOptions();
        options.AddPolicy(new HeatPolicy(heat), HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient((await TestApp.SharedStorage).ConnectionString, options);
        var name = "HeatProbe" + Guid.NewGuid().ToString("N")[..12];
        await service.CreateTableIfNotExistsAsync(name);
        var table = service.GetTableClient(name);

        await table.AddEntityAsync(new TableEntity("consumer|a'b", "order|1"));                                     // POST, key in the body
        await table.UpsertEntityAsync(new TableEntity("consumer|a'b", "order|2"));                                  // PUT, key in the path
        await table.GetEntityAsync<TableEntity>("consumer|a'b", "order|1");                                          // GET, key in the path
        await table.SubmitTransactionAsync(Enumerable.Range(0, 3)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("store-9", $"r{i}"))));
        await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpdateReplace,
            new TableEntity("store-9", "r0"), Azure.ETag.All), new TableTransactionAction(TableTransactionActionType.Delete,
            new TableEntity("store-9", "r1"), Azure.ETag.All)]);                                                      // keys in the request lines
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "store-9"))
        {
        }

        var loads = heat.Loads().Where(l => l.Table == name).ToDictionary(l => l.Partition, l => l.Entities);
        Assert.Equal(new Dictionary<string, long> { ["consumer|a'b"] = 3, ["store-9"] = 6 }, loads);
        Assert.Equal(6, heat.RequestsByTable[name]); // a batch is one request
    }

    private sealed class HeatPolicy(PartitionHeat heat) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => heat.Record(message.Request);
    }
}
