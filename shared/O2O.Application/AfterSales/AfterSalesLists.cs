using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Orders;

namespace O2O.Application.AfterSales;

/// <summary>What follows an order's after-sales events: its store's list of cases, and head office's list of those waiting for it.</summary>
public sealed class AfterSalesLists(StoreAfterSalesTable storeCases, HeadOfficeCases headOffice, IOptions<AfterSalesSettings> settings) : IOrderEventFollower
{
    public async Task AfterMarkedAsync(OrderTable.StoredOrder stored, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        if (stored.Order.Payment is not null && events.Any(e => e.Type.StartsWith(OrderEventTypes.AfterSalesPrefix, StringComparison.Ordinal)))
            await ProjectAsync(stored.Order, stored.Outbox.Count, cancellationToken);
    }

    private async Task ProjectAsync(Order order, int version, CancellationToken cancellationToken)
    {
        var policy = settings.Value.ToPolicy();
        await storeCases.ProjectAsync(order, version, policy, cancellationToken);
        await headOffice.NoteAsync(order, policy, cancellationToken);
    }
}
