using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Orders;

namespace O2O.Application.Promises;

/// <summary>
/// Paid orders with a promise, each due at its next moment. An order's payment (an event this
/// follows, before it is marked published, so it is never missed) lists it at its first moment.
/// </summary>
public sealed class PromisesDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.PromisesDueTable), IOrderEventFollower
{
    public async Task BeforeMarkedAsync(Order order, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        if (events.Any(e => e.Type == OrderEventTypes.Paid) && order.FirstPromiseCheck is { } first)
            await MarkAsync(order.Id, first, cancellationToken);
    }
}

/// <summary>
/// Watches every paid order's promise: the sweep, twice a minute, asks each order due what its
/// promise says now (<see cref="Order.WatchPromise"/>: at risk, broken), writes the alert with the
/// order, and moves its row to the next moment or drops it. A breach is thus seen within the
/// sweep's half minute of its moment (and the outbox publishes it with the order).
/// </summary>
public sealed partial class PromiseWatcher(PromisesDueTable due, OrderTable orders, OrderChanges changes, TimeProvider clock,
    ILogger<PromiseWatcher> logger)
{
    /// <summary>Answers how many alerts it raised.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var raised = 0;
        foreach (var row in await due.DueAsync(clock.GetUtcNow(), cancellationToken))
        {
            try
            {
                var stored = await orders.FindAsync(row.RowKey, cancellationToken);
                DateTimeOffset? next = null;
                if (stored is not null)
                {
                    var before = stored.Order.Watch.Raised.Count;
                    var watched = await changes.ApplyAsync<Order>(stored, o =>
                    {
                        next = o.WatchPromise(clock.GetUtcNow()); // of the try that wrote
                        return o;
                    }, cancellationToken);
                    if (watched.IsSuccess) raised += watched.Value!.Watch.Raised.Count - before;
                }
                await due.RescheduleAsync(row, next, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, row.RowKey); // the next sweep tries again
            }
        }
        return raised;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not watch the promise of order {OrderId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string orderId);
}
