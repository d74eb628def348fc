using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.AfterSales;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.AfterSales;

/// <summary>
/// The cases waiting for head office, oldest first (table HeadOfficeAfterSales, one partition: cases
/// above a store's limit are a small share of a small share of orders). A case is noted here when a
/// projection finds it needs head office; the list checks each row against its order, shows only
/// the cases that still wait, and deletes the others. So the index never has to be told that a case
/// left it, and a stale projection that notes a case again is undone by the next look.
/// </summary>
public sealed class HeadOfficeCases(TableServiceClient service, OrderTable orders, IOptions<AfterSalesSettings> settings)
{
    public const int MaxPageSize = 50;

    private const string Partition = "cases";

    private readonly TableClient _table = service.GetTableClient(StorageNames.HeadOfficeAfterSalesTable);

    public async Task NoteAsync(Order order, AfterSalesPolicy policy, CancellationToken cancellationToken)
    {
        foreach (var c in order.AfterSales.Where(c => order.NeedsHeadOffice(c, policy)))
            await _table.UpsertEntityAsync(new HeadOfficeCaseEntity { PartitionKey = Partition, RowKey = RowKey(c), OrderId = order.Id, CaseId = c.Id },
                TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>A page of the cases that wait for head office, oldest first; a page may hold fewer than asked where cases moved on meanwhile.</summary>
    public async Task<Result<CasePage>> ListAsync(string? continuationToken, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize) return Error.Validation("pageSize", $"must be between 1 and {MaxPageSize}");
        if (!PageTokens.TryUnwrap(continuationToken, Partition, out var continuation)) return Error.Validation("continuationToken",
            "is not one this API issued");
        try
        {
            await foreach (var page in _table.QueryAsync<HeadOfficeCaseEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"),
                               maxPerPage: pageSize ?? 20, cancellationToken: cancellationToken).AsPages(continuation, pageSize ?? 20))
            {
                var views = await Task.WhenAll(page.Values.Select(row => StillWaitingAsync(row, cancellationToken)));
                return new CasePage([.. views.OfType<CaseView>()], PageTokens.Wrap(Partition, page.ContinuationToken));
            }
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            return Error.Validation("continuationToken", "is not one this API issued");
        }
        return new CasePage([], null);
    }

    private async Task<CaseView?> StillWaitingAsync(HeadOfficeCaseEntity row, CancellationToken cancellationToken)
    {
        var policy = settings.Value.ToPolicy();
        var stored = await orders.FindAsync(row.OrderId, cancellationToken);
        if (stored?.Order.Case(row.CaseId) is { } c && stored.Order.NeedsHeadOffice(c, policy)) return CaseView.From(stored.Order, c, policy);
        try
        {
            await _table.DeleteEntityAsync(Partition, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Deleted by another look, or noted again meanwhile: the next look decides.
        }
        return null;
    }

    /// <summary>Oldest first: the time the buyer asked, then the case id.</summary>
    private static string RowKey(AfterSalesCase c) => $"{c.RequestedAt.UtcTicks:D19}|{c.Id}";

    public sealed class HeadOfficeCaseEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string CaseId { get; set; } = "";
    }
}
