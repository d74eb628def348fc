using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>
/// An entity group transaction that refuses what Azure would refuse: actions in more than one
/// partition, or more than 100 of them. Azurite accepts a batch across partitions, so without
/// this guard such a bug would pass every local test and fail in production.
/// </summary>
public sealed class PartitionTransaction(string partitionKey)
{
    public const int MaxActions = 100;

    private readonly List<TableTransactionAction> _actions = [];

    public string PartitionKey { get; } = partitionKey;

    public IReadOnlyList<TableTransactionAction> Actions => _actions;

    public PartitionTransaction Add(TableTransactionActionType type, ITableEntity entity)
    {
        if (!string.Equals(entity.PartitionKey, PartitionKey, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"An entity group transaction for partition '{PartitionKey}' cannot include an entity of partition '{entity.PartitionKey}'.");
        if (_actions.Count == MaxActions)
            throw new InvalidOperationException($"An entity group transaction holds at most {MaxActions} actions.");
        _actions.Add(new TableTransactionAction(type, entity, entity.ETag));
        return this;
    }

    public Task SubmitAsync(TableClient table, CancellationToken cancellationToken)
    {
        if (_actions.Count == 0) throw new InvalidOperationException("An entity group transaction needs at least one action.");
        return table.SubmitTransactionAsync(_actions, cancellationToken);
    }
}
