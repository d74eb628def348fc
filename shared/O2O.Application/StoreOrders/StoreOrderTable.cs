using System.Globalization;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.StoreOrders;

/// <param name="Flagged">A delivery no courier platform would take: the store must act.</param>
/// <param name="Version">Grows with every change of the order: a console reloads an order's details only when it grew.</param>
public sealed record StoreOrderView(string OrderId, string Status, string Mode, long TotalFen, DateTimeOffset CreatedAt, bool Flagged, int Version);

public sealed record StoreOrderPage(IReadOnlyList<StoreOrderView> Items, string? ContinuationToken);

/// <summary>
/// Each store's queue of orders (table StoreOrders, partition = store id, newest first), projected
/// by the outbox relay from the order's own state each time the order's events are relayed. A
/// projection carries the order's version (its event count) and never overwrites a newer one, so
/// redelivered or reordered relay runs are harmless. A store that rejected an order keeps it in
/// its queue as "Rejected". A store's listing reads only its partition.
/// </summary>
public sealed class StoreOrderTable(TableServiceClient service, OptimisticConcurrency concurrency)
{
    public const int MaxPageSize = 50;

    /// <summary>The status an order has in the queue of a store that gave it back.</summary>
    public const string Rejected = "Rejected";

    private readonly TableClient _table = service.GetTableClient(StorageNames.StoreOrdersTable);

    public async Task ProjectAsync(OrderTable.StoredOrder stored, CancellationToken cancellationToken)
    {
        var order = stored.Order;
        await ProjectAsync(order.StoreId, order.Status.ToString(), stored, cancellationToken);
        foreach (var storeId in order.RejectedBy)
            await ProjectAsync(storeId, Rejected, stored, cancellationToken);
    }

    private async Task ProjectAsync(string storeId, string status, OrderTable.StoredOrder stored, CancellationToken cancellationToken)
    {
        var order = stored.Order;
        var rowKey = $"{NewestFirst(order.CreatedAt)}|{order.Id}";
        var version = stored.Outbox.Count;
        // A paid order is new to its store's queue, mostly: add it without reading, and read only if it is there.
        var firstTry = status == nameof(OrderStatus.Paid);
        await concurrency.RunAsync(async ct =>
        {
            var row = firstTry ? null : await _table.FindAsync<StoreOrderEntity>(storeId, rowKey, ct);
            firstTry = false;
            // Newer already there; or a store that gave the order back, whose row does not change again.
            if (row is not null && (row.Version >= version || (status == Rejected && row.Status == Rejected))) return false;
            var projected = new StoreOrderEntity
            {
                PartitionKey = storeId, RowKey = rowKey, OrderId = order.Id, Status = status,
                Mode = OrderView.ModeName(order.Mode), TotalFen = order.TotalFen, CreatedAt = order.CreatedAt, Version = version,
                AwaitingAcceptanceSince = status == Rejected ? null : order.AwaitingAcceptanceSince,
                Flagged = status != Rejected && order.Delivery?.Flagged == true,
            };
            if (row is null) await _table.AddEntityAsync(projected, ct); // 409 if another run added it first: read again
            else await _table.UpdateEntityAsync(projected, row.ETag, TableUpdateMode.Replace, ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Every order in the store's queue, whatever its status.</summary>
    public Task<IReadOnlyList<string>> AllAsync(string storeId, CancellationToken cancellationToken) =>
        OrderIdsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {storeId}"), cancellationToken);

    /// <summary>The ids of the store's orders in <paramref name="status"/>, as last projected.</summary>
    public Task<IReadOnlyList<string>> InStatusAsync(string storeId, OrderStatus status, CancellationToken cancellationToken) =>
        InStatusAsync(storeId, [status], cancellationToken);

    /// <summary>The ids of the store's orders in any of <paramref name="statuses"/>, as last projected.</summary>
    public Task<IReadOnlyList<string>> InStatusAsync(string storeId, IReadOnlyList<OrderStatus> statuses, CancellationToken cancellationToken) =>
        OrderIdsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {storeId}") + " and ("
            + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}"))) + ")", cancellationToken);

    /// <summary>
    /// How many of the store's orders placed since <paramref name="since"/> are in hand (paid or accepted): a range of its newest
    /// rows only, so the count costs the same however long the store has traded.
    /// </summary>
    public async Task<int> InHandSinceAsync(string storeId, DateTimeOffset since, CancellationToken cancellationToken) =>
        (await OrderIdsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey lt {NewestFirst(since)}")
            + " and " + TableClient.CreateQueryFilter($"(Status eq {nameof(OrderStatus.Paid)} or Status eq {nameof(OrderStatus.Accepted)})"),
            cancellationToken)).Count;

    /// <summary>Row keys sort newest first: the ticks left to the end of time.</summary>
    private static string NewestFirst(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}");

    /// <summary>The store's paid orders that have waited for acceptance since before <paramref name="before"/>.</summary>
    public Task<IReadOnlyList<string>> AwaitingAcceptanceAsync(string storeId, DateTimeOffset before, CancellationToken cancellationToken) =>
        OrderIdsAsync(TableClient.CreateQueryFilter(
            $"PartitionKey eq {storeId} and Status eq {nameof(OrderStatus.Paid)} and AwaitingAcceptanceSince le {before}"), cancellationToken);

    private async Task<IReadOnlyList<string>> OrderIdsAsync(string filter, CancellationToken cancellationToken)
    {
        var orderIds = new List<string>();
        await foreach (var row in _table.QueryAsync<StoreOrderEntity>(filter, select: [nameof(StoreOrderEntity.OrderId)], cancellationToken: cancellationToken))
            orderIds.Add(row.OrderId);
        return orderIds;
    }

    public async Task<Result<StoreOrderPage>> ListAsync(string storeId, string? status,
        string? continuationToken, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize) return Error.Validation("pageSize", $"must be between 1 and {MaxPageSize}");
        if (status is not null && status != Rejected && !Enum.GetNames<OrderStatus>().Contains(status))
            return Error.Validation("status", $"must be one of {string.Join(", ", [.. Enum.GetNames<OrderStatus>(), Rejected])}");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId}")
                     + (status is null ? "" : " and " + TableClient.CreateQueryFilter($"Status eq {status}"));
        try
        {
            await foreach (var page in _table.QueryAsync<StoreOrderEntity>(filter, maxPerPage: pageSize ?? 20, cancellationToken: cancellationToken)
                               .AsPages(continuationToken, pageSize ?? 20))
                return new StoreOrderPage(page.Values.Select(r => new StoreOrderView(r.OrderId, r.Status,
                    r.Mode, r.TotalFen, r.CreatedAt, r.Flagged, r.Version)).ToList(), page.ContinuationToken);
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            return Error.Validation("continuationToken", "is not one this API issued");
        }
        return new StoreOrderPage([], null);
    }

    public sealed class StoreOrderEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string Status { get; set; } = "";
        public string Mode { get; set; } = "";
        public long TotalFen { get; set; }
        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>The order's event count when projected: a projection never replaces a newer one.</summary>
        public int Version { get; set; }

        /// <summary>When the order, paid, reached this store; the acceptance deadline runs from here.</summary>
        public DateTimeOffset? AwaitingAcceptanceSince { get; set; }
        public bool Flagged { get; set; }
    }
}
