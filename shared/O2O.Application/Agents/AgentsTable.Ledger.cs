using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

public sealed record LedgerEntryView(string OrderId, int Line, int Level, string Sku, string? OutRefundNo, long AmountFen, string State, DateTimeOffset At);

public sealed record LedgerPage(AgentBalance Balance, IReadOnlyList<LedgerEntryView> Entries, string? ContinuationToken);

/// <summary>The balance as stored, with the ETag a write of it must match (none: not written yet).</summary>
public sealed record StoredBalance(AgentBalance Balance, ETag? ETag);

/// <summary>
/// The ledger in the agent's partition: one row per entry ("led|{order}|{line}|L{level}|{refund or
/// 'earned'}", append-only: a duplicate insert fails), a balance row with the entries' sum by state,
/// and the ledger's outbox ("cevt|{order or withdrawal}|{event id}"). Entries and the balance change
/// together in one transaction guarded by the balance row's ETag.
/// </summary>
public sealed partial class AgentsTable
{
    private const string EntryPrefix = "led|";
    private const string EventPrefix = "cevt|";
    private const string BalanceRowKey = "balance";

    public async Task<StoredBalance> BalanceAsync(string agentId, CancellationToken cancellationToken) =>
        await _table.FindAsync<BalanceRow>(AgentKey(agentId), BalanceRowKey, cancellationToken) is { } row
            ? new StoredBalance(new AgentBalance(row.PendingFen, row.LockedFen, row.AvailableFen, row.WithdrawnFen), row.ETag)
            : new StoredBalance(AgentBalance.Zero, null);

    /// <summary>The agent's entries of one order, by their <see cref="CommissionEntry.Key"/>.</summary>
    public async Task<IReadOnlyDictionary<string, LedgerEntryRow>> EntriesOfOrderAsync(string agentId, string orderId, CancellationToken cancellationToken) =>
        (await _table.ListRangeAsync<LedgerEntryRow>(AgentKey(agentId), $"{EntryPrefix}{orderId}|", cancellationToken)).ToDictionary(r => r.Key,
            StringComparer.Ordinal);

    /// <summary>
    /// New and moved entries, their events and the balance they make, in one transaction: a 409 or
    /// 412 means another writer of this agent got there first, and the caller reads again.
    /// </summary>
    public Task WriteLedgerAsync(string agentId, IEnumerable<LedgerEntryRow> added, IEnumerable<LedgerEntryRow> moved, IEnumerable<OutboxRow> events,
        StoredBalance read, AgentBalance written, CancellationToken cancellationToken)
    {
        var transaction = new PartitionTransaction(AgentKey(agentId));
        foreach (var row in added) transaction.Add(TableTransactionActionType.Add, row);
        foreach (var row in moved) transaction.Add(TableTransactionActionType.UpdateReplace, row);
        foreach (var evt in events) transaction.Add(TableTransactionActionType.Add, evt);
        return WithBalance(transaction, agentId, read, written).SubmitAsync(_table, cancellationToken);
    }

    private static PartitionTransaction WithBalance(PartitionTransaction transaction, string agentId, StoredBalance read, AgentBalance written) =>
        transaction.Add(read.ETag is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, new BalanceRow
        {
            PartitionKey = AgentKey(agentId), RowKey = BalanceRowKey, ETag = read.ETag ?? default,
            PendingFen = written.PendingFen, LockedFen = written.LockedFen, AvailableFen = written.AvailableFen, WithdrawnFen = written.WithdrawnFen,
        });

    /// <summary>An event of the agent's ledger about an order's commission or a withdrawal (<paramref name="key"/>), for its outbox.</summary>
    public static OutboxRow EventRow(string agentId, string key, string eventId, string type,
        object data, DateTimeOffset at, string orderId = "", string? subject = null) =>
        OutboxRow.Of(AgentKey(agentId), $"{EventPrefix}{key}|{eventId}", eventId, type, data, at, orderId, subject);

    public async Task<List<OutboxRow>> UnpublishedAsync(string agentId, string key, CancellationToken cancellationToken) =>
        [.. (await _table.ListRangeAsync<OutboxRow>(AgentKey(agentId), $"{EventPrefix}{key}|", cancellationToken))
            .Where(e => e.State != OutboxState.Published).OrderBy(e => e.OccurredAt)];

    public Task MarkPublishedAsync(IReadOnlyList<OutboxRow> events, DateTimeOffset publishedAt, CancellationToken cancellationToken) =>
        OutboxRow.MarkPublishedAsync(_table, events, publishedAt, cancellationToken);

    private static readonly string EntriesFilterEnd = EntryPrefix[..^1] + "}"; // "led}": just after every "led|…" key

    private static string EntriesFilter(string agentId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {AgentKey(agentId)} and RowKey ge {EntryPrefix} and RowKey lt {EntriesFilterEnd}");

    /// <summary>A page of the agent's entries in key order (by order, line, level); null when the token is not one this page issued.</summary>
    public async Task<(IReadOnlyList<LedgerEntryView> Entries, string? ContinuationToken)?> EntriesPageAsync(
        string agentId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var partition = AgentKey(agentId);
        if (!PageTokens.TryUnwrap(continuationToken, partition, out var continuation)) return null;
        try
        {
            await foreach (var page in _table.QueryAsync<LedgerEntryRow>(EntriesFilter(agentId), maxPerPage: pageSize, cancellationToken: cancellationToken)
                .AsPages(continuation, pageSize))
                return ([.. page.Values.Select(r => r.ToView())], PageTokens.Wrap(partition, page.ContinuationToken));
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            return null;
        }
        return ([], null);
    }

    /// <summary>Every entry of the agent, read a page at a time as the caller writes them out.</summary>
    public async IAsyncEnumerable<LedgerEntryView> EntriesAsync(string agentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<LedgerEntryRow>(EntriesFilter(agentId), maxPerPage: 1000, cancellationToken: cancellationToken))
            yield return row.ToView();
    }

    public sealed class LedgerEntryRow : TableRow
    {
        public string OrderId { get; set; } = "";
        public int Line { get; set; }
        public int Level { get; set; }
        public string Sku { get; set; } = "";
        public string? OutRefundNo { get; set; }
        public long AmountFen { get; set; }
        public string State { get; set; } = "";
        public DateTimeOffset At { get; set; }

        public string Key => RowKey[EntryPrefix.Length..];

        public CommissionState CommissionState => Enum.Parse<CommissionState>(State);

        public static LedgerEntryRow From(CommissionEntry entry, DateTimeOffset at) => new()
        {
            PartitionKey = AgentKey(entry.AgentId), RowKey = EntryPrefix + entry.Key, OrderId = entry.OrderId, Line = entry.Line, Level = entry.Level,
            Sku = entry.Sku, OutRefundNo = entry.OutRefundNo, AmountFen = entry.AmountFen, State = entry.State.ToString(), At = at,
        };

        public LedgerEntryView ToView() => new(OrderId, Line, Level, Sku, OutRefundNo, AmountFen, State, At);
    }

    private sealed class BalanceRow : TableRow
    {
        public long PendingFen { get; set; }
        public long LockedFen { get; set; }
        public long AvailableFen { get; set; }
        public long WithdrawnFen { get; set; }
    }
}
