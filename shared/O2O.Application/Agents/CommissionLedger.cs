using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Agents;
using O2O.Domain.Common;

namespace O2O.Application.Agents;

/// <summary>An agent's balance by state; what can be withdrawn is what is available, less what was withdrawn (and may be below zero).</summary>
public sealed record Balance(long PendingFen, long LockedFen, long AvailableFen, long WithdrawnFen)
{
    public long WithdrawableFen => AvailableFen - WithdrawnFen;
}

public sealed record LedgerEntryView(string OrderId, int Line, int Level, string Sku, string? OutRefundNo, long AmountFen, string State, DateTimeOffset At);

public sealed record LedgerPage(Balance Balance, IReadOnlyList<LedgerEntryView> Entries, string? ContinuationToken);

/// <summary>
/// Each agent's commission ledger, in its partition of the Agents table ("agent|{id}"): one row per
/// entry ("led|{order}|{line}|L{level}|{refund or 'earned'}", append-only: a duplicate insert fails)
/// and a balance row with the sum of the entries by state. Entries and the balance change together
/// in one transaction guarded by the balance row's ETag, so the balance is always the ledger's sum.
/// </summary>
public sealed partial class CommissionLedger(
    TableServiceClient service, OptimisticConcurrency concurrency, Orders.DomainEventPublisher publisher, KeyedTurns turns, TimeProvider clock)
{
    private const string EntryPrefix = "led|";
    private const string EventPrefix = "cevt|";
    private const string BalanceRow = "balance";

    private readonly TableClient _table = service.GetTableClient(StorageNames.AgentsTable);

    private static string Partition(string agentId) => "agent|" + agentId;

    /// <summary>
    /// Brings the agent's entries of one order to <paramref name="wanted"/>: a missing entry is
    /// added, an entry in another state moves; nothing else changes. Running it again changes
    /// nothing, however often the order's events come. Answers how many entries changed. Syncs of
    /// one agent take turns within an instance: each moves the agent's balance row, which would
    /// otherwise make a busy agent's concurrent syncs lose ETag races and read everything again,
    /// and a second sync of the same order finds the first's events published. Syncs on two
    /// instances race on the ETag, and may both send an event (the same id), never skip one.
    /// </summary>
    public async Task<int> SyncAsync(string agentId, string orderId, IReadOnlyList<CommissionEntry> wanted, CancellationToken cancellationToken)
    {
        // Kept waiting too long, a sync goes ahead anyway: a lost race or a duplicate event is allowed, a stall is not.
        using var turn = await turns.EnterAsync(["ledger|" + agentId], cancellationToken);
        var total = 0;
        while (true)
        {
            var (done, left) = await SyncChunkAsync(agentId, orderId, wanted, cancellationToken);
            total += done;
            if (left == 0) break;
        }
        await PublishAsync(agentId, orderId, cancellationToken);
        return total;
    }

    /// <summary>
    /// Publishes the events of an order's commission, or of a withdrawal (<paramref name="key"/>),
    /// this agent's ledger holds unpublished (an outbox in the agent's partition, written with the
    /// change), then marks them. A failure throws: the sync is retried (its queue message, or the
    /// settle timer), a withdrawal's change by its request's retry, the transfer notification's
    /// or the reconciler, and each finds them still unpublished. Publications of one key take turns
    /// within an instance, so a second finds the first's events marked.
    /// </summary>
    public async Task PublishAsync(string agentId, string key, CancellationToken cancellationToken)
    {
        using var turn = await turns.EnterAsync([$"outbox|{agentId}|{key}"], cancellationToken);
        var partition = Partition(agentId);
        var unpublished = (await _table.ListRangeAsync<Orders.OrderTable.OutboxEntity>(partition, $"{EventPrefix}{key}|", cancellationToken))
            .Where(e => e.State != Orders.OutboxState.Published).OrderBy(e => e.OccurredAt).ToList();
        if (unpublished.Count == 0) return;
        await publisher.PublishAsync(unpublished, cancellationToken);
        var transaction = new PartitionTransaction(partition);
        foreach (var evt in unpublished)
            transaction.Add(TableTransactionActionType.UpdateMerge, new TableEntity(partition, evt.RowKey)
            {
                [nameof(Orders.OrderTable.OutboxEntity.State)] = Orders.OutboxState.Published, [nameof(Orders.OrderTable.OutboxEntity.PublishedAt)] = clock.GetUtcNow(), ETag = ETag.All,
            });
        await transaction.SubmitAsync(_table, cancellationToken);
    }

    /// <summary>
    /// The events of a chunk of changes: one per kind (what was earned, what a refund took back,
    /// what became locked or available), each under an id derived from the entries it covers, so a
    /// retry of the same change cannot raise one twice, and a later change raises its own.
    /// </summary>
    private static List<TableEntity> Events(string partition, string agentId, string orderId, IEnumerable<(TableTransactionActionType Type, TableEntity Row, CommissionState? From, CommissionState To, long Amount)> moves, DateTimeOffset at) =>
    [
        .. moves.GroupBy(m => m.Type == TableTransactionActionType.Add
                ? m.Row.GetString("OutRefundNo") is { } refund ? ("reversed", refund) : ("earned", (string?)null)
                : (m.To.ToString().ToLowerInvariant(), null))
            .Select(g =>
            {
                var (kind, refund) = g.Key;
                var covers = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(string.Join('\n', g.Select(m => m.Row.RowKey)))))[..12].ToLowerInvariant();
                var eventId = $"{orderId}.commission.{agentId}.{kind}.{covers}";
                var data = new CommissionChanged(agentId, orderId, kind, g.Sum(m => m.Amount), g.First().To.ToString(), refund);
                return new TableEntity(partition, $"{EventPrefix}{orderId}|{eventId}")
                {
                    ["EventId"] = eventId, ["OrderId"] = orderId, ["Type"] = "o2o.commission." + kind, ["OccurredAt"] = at,
                    ["DataJson"] = System.Text.Json.JsonSerializer.Serialize(data, StorageJson.Options), ["State"] = Orders.OutboxState.NotPublished,
                };
            }),
    ];

    /// <summary>Up to 99 of the changes, with the balance, in one transaction; answers how many it made and how many are left.</summary>
    private async Task<(int Done, int Left)> SyncChunkAsync(string agentId, string orderId, IReadOnlyList<CommissionEntry> wanted, CancellationToken cancellationToken) =>
        await concurrency.RunAsync<(int, int)>(async ct =>
        {
            var partition = Partition(agentId);
            var existing = (await _table.ListRangeAsync<TableEntity>(partition, $"{EntryPrefix}{orderId}|", ct)).ToDictionary(r => r.RowKey, StringComparer.Ordinal);
            var balanceRow = await _table.FindAsync<TableEntity>(partition, BalanceRow, ct);
            var moves = new List<(TableTransactionActionType Type, TableEntity Row, CommissionState? From, CommissionState To, long Amount)>();
            var at = clock.GetUtcNow();
            foreach (var entry in wanted)
            {
                var rowKey = EntryPrefix + entry.Key;
                if (!existing.TryGetValue(rowKey, out var row))
                {
                    moves.Add((TableTransactionActionType.Add, new TableEntity(partition, rowKey)
                    {
                        ["OrderId"] = entry.OrderId, ["Line"] = entry.Line, ["Level"] = entry.Level, ["Sku"] = entry.Sku, ["OutRefundNo"] = entry.OutRefundNo,
                        ["AmountFen"] = entry.AmountFen, ["State"] = entry.State.ToString(), ["At"] = at,
                    }, null, entry.State, entry.AmountFen));
                }
                else if (Enum.Parse<CommissionState>(row.GetString("State")) is var state && state != entry.State)
                {
                    row["State"] = entry.State.ToString();
                    moves.Add((TableTransactionActionType.UpdateReplace, row, state, entry.State, row.GetInt64("AmountFen") ?? 0)); // as written: an amount never changes
                }
            }
            if (moves.Count == 0) return (0, 0);
            // Up to 49 entries, their events (at most one each) and the balance: within a transaction's 100.
            var chunk = moves.Take((PartitionTransaction.MaxActions - 1) / 2).ToList();
            var transaction = new PartitionTransaction(partition);
            foreach (var move in chunk) transaction.Add(move.Type, move.Row);
            foreach (var evt in Events(partition, agentId, orderId, chunk, at)) transaction.Add(TableTransactionActionType.Add, evt);
            var balance = chunk.Aggregate(Read(balanceRow), (sum, move) => Move(sum, move.From, move.To, move.Amount));
            transaction.Add(balanceRow is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, Write(partition, balance, balanceRow));
            await transaction.SubmitAsync(_table, ct); // 409/412: another sync of this agent wrote first; read again
            return (chunk.Count, moves.Count - chunk.Count);
        }, cancellationToken);

    public async Task<Balance> BalanceAsync(string agentId, CancellationToken cancellationToken) =>
        Read(await _table.FindAsync<TableEntity>(Partition(agentId), BalanceRow, cancellationToken));

    public const int MaxPageSize = 200;

    private static readonly Error BadToken = Error.Validation("continuationToken", "is not one this API issued");

    /// <summary>The agent's balance and ledger entries, a page at a time (1 to <see cref="MaxPageSize"/>), in key order (by order, line, level).</summary>
    public async Task<Result<LedgerPage>> PageAsync(string agentId, string? continuationToken, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize) return Error.Validation("pageSize", $"must be between 1 and {MaxPageSize}");
        var partition = Partition(agentId);
        if (!PageTokens.TryUnwrap(continuationToken, partition, out var continuation)) return BadToken;
        var balance = await BalanceAsync(agentId, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {EntryPrefix} and RowKey lt {"led}"}");
        try
        {
            await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize ?? 50, cancellationToken: cancellationToken).AsPages(continuation, pageSize ?? 50))
                return new LedgerPage(balance, [.. page.Values.Select(View)], PageTokens.Wrap(partition, page.ContinuationToken));
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            return BadToken;
        }
        return new LedgerPage(balance, [], null);
    }

    /// <summary>Every entry of the agent, for the finance export, read a page at a time as the caller writes them out.</summary>
    public async IAsyncEnumerable<LedgerEntryView> EntriesAsync(string agentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(agentId)} and RowKey ge {EntryPrefix} and RowKey lt {"led}"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            yield return View(row);
    }

    private static LedgerEntryView View(TableEntity row) => new(
        row.GetString("OrderId"), row.GetInt32("Line") ?? 0, row.GetInt32("Level") ?? 0, row.GetString("Sku"), row.GetString("OutRefundNo"),
        row.GetInt64("AmountFen") ?? 0, row.GetString("State"), row.GetDateTimeOffset("At") ?? default);

    private static Balance Read(TableEntity? row) => row is null
        ? new Balance(0, 0, 0, 0)
        : new Balance(row.GetInt64("PendingFen") ?? 0, row.GetInt64("LockedFen") ?? 0, row.GetInt64("AvailableFen") ?? 0, row.GetInt64("WithdrawnFen") ?? 0);

    private static TableEntity Write(string partition, Balance balance, TableEntity? read) => new(partition, BalanceRow)
    {
        ["PendingFen"] = balance.PendingFen, ["LockedFen"] = balance.LockedFen, ["AvailableFen"] = balance.AvailableFen, ["WithdrawnFen"] = balance.WithdrawnFen,
        ETag = read?.ETag ?? default,
    };

    private static Balance Move(Balance balance, CommissionState? from, CommissionState to, long amount)
    {
        var moved = from switch
        {
            CommissionState.Pending => balance with { PendingFen = balance.PendingFen - amount },
            CommissionState.Locked => balance with { LockedFen = balance.LockedFen - amount },
            CommissionState.Available => balance with { AvailableFen = balance.AvailableFen - amount },
            _ => balance,
        };
        return to switch
        {
            CommissionState.Pending => moved with { PendingFen = moved.PendingFen + amount },
            CommissionState.Locked => moved with { LockedFen = moved.LockedFen + amount },
            _ => moved with { AvailableFen = moved.AvailableFen + amount },
        };
    }

}
