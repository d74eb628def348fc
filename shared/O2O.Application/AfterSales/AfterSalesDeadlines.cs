using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.Orders;

namespace O2O.Application.AfterSales;

/// <summary>
/// The after-sales timer's work, on the orders marked due: a case the store left unanswered past
/// its time is approved; a return whose goods did not come back in time is closed; the steps a
/// change called for (stock, refund request) are run again, idempotently, in case a crash cut them
/// short. The order is then due again at its next deadline, or no more.
/// </summary>
public sealed partial class AfterSalesDeadlines(
    AfterSalesDueTable due, OrderTable orders, OrderChanges changes, AfterSalesService afterSales, IOptions<AfterSalesSettings> settings,
    TimeProvider clock, ILogger<AfterSalesDeadlines> logger)
{
    public sealed record Sweep(int Orders, int CasesMoved);

    public async Task<Sweep> RunAsync(CancellationToken cancellationToken)
    {
        int seen = 0, moved = 0;
        var policy = settings.Value.ToPolicy();
        var now = clock.GetUtcNow();
        foreach (var row in await due.DueAsync(now, cancellationToken))
        {
            var orderId = row.RowKey;
            try
            {
                seen++;
                var stored = await orders.FindAsync(orderId, cancellationToken);
                if (stored is null)
                {
                    await due.RescheduleAsync(row, null, cancellationToken);
                    continue;
                }
                var order = stored.Order;
                if (order.AfterSales.Any(c => c.Deadline(policy) <= now))
                {
                    var movedHere = 0; // of the try that wrote
                    var applied = await changes.ApplyAsync<Order>(stored, o =>
                    {
                        movedHere = o.ApplyAfterSalesDeadlines(clock.GetUtcNow(), policy);
                        return o;
                    }, cancellationToken);
                    moved += movedHere;
                    order = applied.Value ?? order;
                }
                await afterSales.FinishStepsAsync(order, order.AfterSales, cancellationToken);
                await due.RescheduleAsync(row, order.AfterSales.Select(c => c.Deadline(policy)).Min(), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, orderId); // the next run tries again
            }
        }
        return new Sweep(seen, moved);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not apply the after-sales deadlines of order {OrderId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string orderId);
}
