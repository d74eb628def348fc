using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

/// <summary>
/// Keeps the agents' ledgers in step with their orders. The outbox relay, publishing an attributed
/// order's events, asks for a sync on the commission-sync queue (<see cref="CommissionSyncQueue"/>);
/// a sync computes the entries the order calls for (<see cref="CommissionEntries"/>) and writes what is missing, so a payment
/// notification delivered ten times earns commission once. The settle timer makes commission
/// available once its time has passed.
/// </summary>
public sealed partial class CommissionSync(
    OrderTable orders, CommissionLedger ledger, CommissionDueTable due, IOptions<AgentSettings> settings, TimeProvider clock, ILogger<CommissionSync> logger)
{
    private TimeSpan SettleAfter => TimeSpan.FromDays(settings.Value.SettleAfterDays);

    /// <summary>Writes what the order's commission calls for in each agent's ledger; answers how many entries changed.</summary>
    public async Task<int> SyncAsync(string orderId, CancellationToken cancellationToken)
    {
        var (changed, availableFrom) = await SyncOrderAsync(orderId, cancellationToken);
        if (availableFrom is { } next) await due.MarkAsync(orderId, next, cancellationToken);
        return changed;
    }

    /// <summary>The settle timer: orders whose commission's time has come are synced, then due again later or no more.</summary>
    public async Task<int> SettleAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var row in await due.DueAsync(clock.GetUtcNow(), cancellationToken))
        {
            try
            {
                var (changed, availableFrom) = await SyncOrderAsync(row.RowKey, cancellationToken);
                settled += changed;
                await due.RescheduleAsync(row, availableFrom, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, row.RowKey); // the next run tries again
            }
        }
        return settled;
    }

    /// <summary>Syncs the ledgers with the order; answers how many entries changed and when some of its commission becomes available next (null: none left
    /// to wait for).</summary>
    private async Task<(int Changed, DateTimeOffset? AvailableFrom)> SyncOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        if (stored?.Order is not { Attribution: not null } order) return (0, null);
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var agent in CommissionEntries.Of(order, SettleAfter, now).GroupBy(e => e.AgentId))
            changed += await ledger.SyncAsync(agent.Key, orderId, [.. agent], cancellationToken);
        return (changed, CommissionEntries.AvailableFrom(order, SettleAfter, now));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not settle the commission of order {OrderId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string orderId);
}
