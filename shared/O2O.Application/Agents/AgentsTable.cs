using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

/// <summary>
/// Table Agents, three kinds of partition: an agent ("agent|{id}": its profile, and its ledger, balance,
/// withdrawals and their events, see <see cref="AgentsTable"/>'s Ledger and Withdrawals parts), a consumer
/// ("consumer|{key}": the agent it is, if any, its current binding and the binding's history), and a
/// share code ("code|{code}": whose it is). Each lookup is one point read; a binding and its history
/// entry are one transaction in the consumer's partition.
/// </summary>
public sealed partial class AgentsTable(TableServiceClient service)
{
    private const string Profile = "profile";
    private const string AgentOfConsumer = "agent";
    private const string Binding = "binding";
    private const string HistoryPrefix = "binding|";

    private readonly TableClient _table = service.GetTableClient(StorageNames.AgentsTable);

    internal static string AgentKey(string agentId) => "agent|" + agentId;

    private static string ConsumerKey(string consumerKey) => "consumer|" + consumerKey;

    private static string CodeKey(string code) => "code|" + code;

    public async Task<Agent?> GetAsync(string agentId, CancellationToken cancellationToken) =>
        (await _table.FindAsync<AgentEntity>(AgentKey(agentId), Profile, cancellationToken))?.ToAgent();

    /// <summary>The agent a consumer is, if any.</summary>
    public async Task<string?> AgentIdOfAsync(string consumerKey, CancellationToken cancellationToken) =>
        (await _table.FindAsync<TableEntity>(ConsumerKey(consumerKey), AgentOfConsumer, cancellationToken))?.GetString("AgentId");

    /// <summary>
    /// Writes an agent and the consumer's link to it (an agent's openid may change only to one no
    /// other agent has); a link from the openid it had before is removed, so that openid no longer acts as the agent.
    /// </summary>
    public async Task PutAsync(Agent agent, string? previousConsumerKey, CancellationToken cancellationToken)
    {
        if (previousConsumerKey is not null && previousConsumerKey != agent.ConsumerKey)
        {
            try
            {
                await _table.DeleteEntityAsync(ConsumerKey(previousConsumerKey), AgentOfConsumer, ETag.All, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Removed by an earlier try.
            }
        }
        await _table.UpsertEntityAsync(AgentEntity.From(agent), TableUpdateMode.Replace, cancellationToken);
        await _table.UpsertEntityAsync(new TableEntity(ConsumerKey(agent.ConsumerKey), AgentOfConsumer) { ["AgentId"] = agent.Id },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Records a new share code; false if the code is taken (the caller draws another).</summary>
    public async Task<bool> TryAddCodeAsync(string code, string agentId, string? sku, string? campaign, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(CodeKey(code), "code")
            {
                ["AgentId"] = agentId,
                ["Sku"] = sku, ["Campaign"] = campaign, ["At"] = at
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<string?> AgentIdOfCodeAsync(string code, CancellationToken cancellationToken) =>
        (await _table.FindAsync<TableEntity>(CodeKey(code), "code", cancellationToken))?.GetString("AgentId");

    /// <summary>The consumer's binding as stored, with its ETag for a conditional replace.</summary>
    public async Task<(AgentBinding Binding, ETag ETag)?> BindingAsync(string consumerKey, CancellationToken cancellationToken) =>
        await _table.FindAsync<TableEntity>(ConsumerKey(consumerKey), Binding, cancellationToken) is { } row
            ? (new AgentBinding(row.GetString("AgentId"), row.GetDateTimeOffset("BoundAt") ?? default, row.GetDateTimeOffset("LockedUntil")), row.ETag)
            : null;

    /// <summary>
    /// Writes a binding only if the one read is unchanged (or, with none read, only if there is
    /// still none), with its history entry, in one transaction: of two concurrent scans one wins.
    /// False when another writer got there first.
    /// </summary>
    public async Task<bool> TryBindAsync(string consumerKey, AgentBinding binding, ETag? replacing, CancellationToken cancellationToken)
    {
        var partition = ConsumerKey(consumerKey);
        var row = new TableEntity(partition, Binding)
        {
            ["AgentId"] = binding.AgentId, ["BoundAt"] = binding.BoundAt, ["LockedUntil"] = binding.LockedUntil, ETag = replacing ?? default,
        };
        var history = new TableEntity(partition,
            $"{HistoryPrefix}{binding.BoundAt.UtcTicks:D19}|{binding.AgentId}")
        { ["AgentId"] = binding.AgentId, ["BoundAt"] = binding.BoundAt };
        var transaction = new PartitionTransaction(partition)
            .Add(replacing is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, row)
            .Add(TableTransactionActionType.Add, history);
        try
        {
            await transaction.SubmitAsync(_table, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Every binding the consumer has had, oldest first.</summary>
    public async Task<IReadOnlyList<AgentBinding>> BindingHistoryAsync(string consumerKey, CancellationToken cancellationToken) =>
        [.. (await _table.ListRangeAsync<TableEntity>(ConsumerKey(consumerKey), HistoryPrefix, cancellationToken))
            .Select(r => new AgentBinding(r.GetString("AgentId"), r.GetDateTimeOffset("BoundAt") ?? default, null))];

    public sealed class AgentEntity : TableRow
    {
        public string AgentId { get; set; } = "";
        public string ConsumerKey { get; set; } = "";
        public string Name { get; set; } = "";
        public string Tier { get; set; } = "";
        public bool Active { get; set; }
        public string? ParentAgentId { get; set; }

        public static AgentEntity From(Agent agent) => new()
        {
            PartitionKey = AgentKey(agent.Id), RowKey = Profile, AgentId = agent.Id, ConsumerKey = agent.ConsumerKey, Name = agent.Name, Tier = agent.Tier,
            Active = agent.Active, ParentAgentId = agent.ParentAgentId,
        };

        public Agent ToAgent() => new(AgentId, ConsumerKey, Name, Tier, Active, ParentAgentId);
    }
}
