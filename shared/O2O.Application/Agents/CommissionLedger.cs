using System.Security.Cryptography;
using System.Text;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Agents;
using O2O.Domain.Common;

namespace O2O.Application.Agents;

/// <summary>
/// Each agent's commission ledger (kept by <see cref="AgentsTable"/>): brings an order's entries to
/// what the order calls for, keeps the balance the entries' sum, and publishes the ledger's events.
/// </summary>
public sealed partial class CommissionLedger(AgentsTable table, OptimisticConcurrency concurrency,
    DomainEventPublisher publisher, KeyedTurns turns, TimeProvider clock)
{
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
        var unpublished = await table.UnpublishedAsync(agentId, key, cancellationToken);
        if (unpublished.Count == 0) return;
        await publisher.PublishAsync(unpublished, cancellationToken);
        await table.MarkPublishedAsync(unpublished, clock.GetUtcNow(), cancellationToken);
    }

    private sealed record Move(AgentsTable.LedgerEntryRow Row, CommissionState? From, CommissionState To, long AmountFen);

    /// <summary>Up to 49 of the changes, their events and the balance in one transaction (within its 100); answers how many it made and how many are
    /// left.</summary>
    private async Task<(int Done, int Left)> SyncChunkAsync(string agentId, string orderId,
        IReadOnlyList<CommissionEntry> wanted, CancellationToken cancellationToken) =>
        await concurrency.RunAsync<(int, int)>(async ct =>
        {
            var existing = await table.EntriesOfOrderAsync(agentId, orderId, ct);
            var balance = await table.BalanceAsync(agentId, ct);
            var at = clock.GetUtcNow();
            var moves = new List<Move>();
            foreach (var entry in wanted)
            {
                if (!existing.TryGetValue(entry.Key, out var row))
                    moves.Add(new Move(AgentsTable.LedgerEntryRow.From(entry, at), null, entry.State, entry.AmountFen));
                else if (row.CommissionState is var state && state != entry.State)
                {
                    row.State = entry.State.ToString();
                    moves.Add(new Move(row, state, entry.State, row.AmountFen)); // as written: an amount never changes
                }
            }
            if (moves.Count == 0) return (0, 0);
            var chunk = moves.Take((PartitionTransaction.MaxActions - 1) / 2).ToList();
            var next = chunk.Aggregate(balance.Balance, (sum, m) => m.From is { } from ? sum.Move(from, m.To, m.AmountFen) : sum.Add(m.To, m.AmountFen));
            await table.WriteLedgerAsync(agentId, chunk.Where(m => m.From is null).Select(m => m.Row), chunk.Where(m => m.From is not null).Select(m => m.Row),
                Events(agentId, orderId, chunk, at), balance, next, ct); // 409/412: another sync of this agent wrote first; read again
            return (chunk.Count, moves.Count - chunk.Count);
        }, cancellationToken);

    /// <summary>
    /// The events of a chunk of changes: one per kind (what was earned, what a refund took back,
    /// what became locked or available), each under an id derived from the entries it covers, so a
    /// retry of the same change cannot raise one twice, and a later change raises its own.
    /// </summary>
    private static IEnumerable<OutboxRow> Events(string agentId, string orderId, IEnumerable<Move> moves, DateTimeOffset at) =>
        moves.GroupBy(m => m.From is null
                ? m.Row.OutRefundNo is { } refund ? ("reversed", refund) : ("earned", (string?)null)
                : (m.To.ToString().ToLowerInvariant(), null))
            .Select(g =>
            {
                var (kind, refund) = g.Key;
                var covers = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
                    g.Select(m => m.Row.RowKey)))))[..12].ToLowerInvariant();
                var eventId = $"{orderId}.commission.{agentId}.{kind}.{covers}";
                var data = new CommissionChanged(agentId, orderId, kind, g.Sum(m => m.AmountFen), g.First().To.ToString(), refund);
                return AgentsTable.EventRow(agentId, orderId, eventId, "o2o.commission." + kind, data, at, orderId);
            });

    public async Task<AgentBalance> BalanceAsync(string agentId,
        CancellationToken cancellationToken) => (await table.BalanceAsync(agentId, cancellationToken)).Balance;

    public const int MaxPageSize = 200;

    /// <summary>The agent's balance and ledger entries, a page at a time (1 to <see cref="MaxPageSize"/>), in key order (by order, line, level).</summary>
    public async Task<Result<LedgerPage>> PageAsync(string agentId, string? continuationToken, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize) return Error.Validation("pageSize", $"must be between 1 and {MaxPageSize}");
        if (await table.EntriesPageAsync(agentId, continuationToken, pageSize ?? 50, cancellationToken) is not { } page)
            return Error.Validation("continuationToken", "is not one this API issued");
        return new LedgerPage(await BalanceAsync(agentId, cancellationToken), page.Entries, page.ContinuationToken);
    }

    /// <summary>Every entry of the agent, for the finance export, read a page at a time as the caller writes them out.</summary>
    public IAsyncEnumerable<LedgerEntryView> EntriesAsync(string agentId,
        CancellationToken cancellationToken) => table.EntriesAsync(agentId, cancellationToken);
}
