using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.AfterSales;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.AfterSales;

/// <summary>
/// Each store's after-sales cases (table StoreAfterSales, partition = store id, row = case id),
/// projected from the order by the outbox relay whenever a case event is published. A row carries
/// the order's version (its event count) and never replaces a newer one; a write that loses a race
/// reads the row again and writes if it is still older, so the list converges on the newest state
/// whatever order relay runs finish in. A store's list reads only its partition.
/// </summary>
public sealed class StoreAfterSalesTable(TableServiceClient service, OptimisticConcurrency concurrency)
{
    public const int MaxPageSize = 50;

    private static readonly JsonSerializerOptions ViewJson = new(StorageJson.Options) { Converters = { new JsonStringEnumConverter() } };

    private readonly TableClient _table = service.GetTableClient(StorageNames.StoreAfterSalesTable);

    /// <summary>Writes the order's cases that are missing or older in its store's list.</summary>
    public async Task ProjectAsync(Order order, int version, AfterSalesPolicy policy, CancellationToken cancellationToken)
    {
        if (order.AfterSales.Count == 0) return;
        var prefix = order.Id + "-a";
        var existing = (await _table.ListRangeAsync<StoreCaseEntity>(order.StoreId, prefix, cancellationToken)).ToDictionary(r => r.RowKey,
            StringComparer.Ordinal);
        foreach (var c in order.AfterSales)
        {
            var projected = new StoreCaseEntity
            {
                PartitionKey = order.StoreId, RowKey = c.Id, OrderId = order.Id, Stage = c.Stage, Version = version, RequestedAt = c.RequestedAt,
                ViewJson = JsonSerializer.Serialize(CaseView.From(order, c, policy), ViewJson),
            };
            var read = existing.GetValueOrDefault(c.Id);
            var firstTry = true;
            await concurrency.RunAsync(async ct =>
            {
                var row = firstTry ? read : await _table.FindAsync<StoreCaseEntity>(order.StoreId, c.Id, ct);
                firstTry = false;
                if (row?.Version >= version) return false; // the same or newer is there
                if (row is null) await _table.AddEntityAsync(projected, ct); // 409: another run added it; read again
                else await _table.UpdateEntityAsync(projected, row.ETag, TableUpdateMode.Replace, ct); // 412: read again
                return true;
            }, cancellationToken);
        }
    }

    public async Task<Result<CasePage>> ListAsync(string storeId, string? stage, string? continuationToken, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize) return Error.Validation("pageSize", $"must be between 1 and {MaxPageSize}");
        if (stage is not null && !AfterSalesCase.Stages.Contains(stage)) return Error.Validation("status",
            $"must be one of {string.Join(", ", AfterSalesCase.Stages)}");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId}") + (stage is null ? "" : " " +
            "and " + TableClient.CreateQueryFilter($"Stage eq {stage}"));
        try
        {
            await foreach (var page in _table.QueryAsync<StoreCaseEntity>(filter, maxPerPage: pageSize ?? 20, cancellationToken: cancellationToken)
                               .AsPages(continuationToken, pageSize ?? 20))
                return new CasePage([.. page.Values.OrderBy(r => r.RequestedAt).Select(r => JsonSerializer.Deserialize<CaseView>(r.ViewJson, ViewJson)!)],
                    page.ContinuationToken);
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            return Error.Validation("continuationToken", "is not one this API issued");
        }
        return new CasePage([], null);
    }

    public sealed class StoreCaseEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string Stage { get; set; } = "";
        public DateTimeOffset RequestedAt { get; set; }

        /// <summary>The order's event count when projected: a projection never replaces a newer one.</summary>
        public int Version { get; set; }

        /// <summary>The case as its store sees it (<see cref="CaseView"/>).</summary>
        public string ViewJson { get; set; } = "";
    }
}
