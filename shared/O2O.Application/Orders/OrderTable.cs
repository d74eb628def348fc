using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.Telemetry;
using O2O.Domain.AfterSales;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>A consumer's unpaid orders as counted at checkout, with the ETag of the intake row read in the same query (null before the first order).</summary>
public sealed record UnpaidOrders(IReadOnlyList<string> OrderIds, ETag? Intake);

/// <summary>
/// Orders live in their consumer's partition: the order row, its timeline, its outbox events and
/// the consumer's newest-first index row (and its after-sales cases, one row each) are written in
/// one entity group transaction, so the list, the order and its events can never disagree. A consumer places a handful of orders a
/// day, far below a partition's 2,000 entities/s.
/// </summary>
public sealed partial class OrderTable(TableServiceClient service)
{
    private const string OrderPrefix = "order|";
    private const string IndexPrefix = "idx|";

    private readonly TableClient _table = service.GetTableClient(StorageNames.OrdersTable);

    public static string OrderRowKey(string orderId) => OrderPrefix + orderId;

    private static string TimelineRowKey(string orderId,
        int sequence) => string.Create(CultureInfo.InvariantCulture, $"{OrderPrefix}{orderId}|tl|{sequence:D4}");

    private static string CaseRowKey(string orderId, string caseId) => $"{OrderPrefix}{orderId}|as|{caseId}";

    /// <summary>Cases keep their states by name, so a stored case reads the same whatever the enums' order.</summary>
    private static readonly JsonSerializerOptions CaseJson = new(StorageJson.Options) { Converters = { new JsonStringEnumConverter() } };

    private static string OutboxRowKey(string orderId,
        int sequence) => string.Create(CultureInfo.InvariantCulture, $"{OrderPrefix}{orderId}|evt|{sequence:D4}");

    /// <summary>Inverted ticks, so the newest order sorts first in the partition.</summary>
    private static string IndexRowKey(DateTimeOffset createdAt, string orderId) =>
        string.Create(CultureInfo.InvariantCulture, $"{IndexPrefix}{DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks:D19}|{orderId}");

    /// <summary>
    /// The consumer's intake row: every checkout of the consumer writes it in its order's
    /// transaction with the ETag read alongside the unpaid orders, so two checkouts never both
    /// count the same unpaid orders (<see cref="UnpaidOrders"/>). Inside the index's key range, after
    /// its rows (a letter follows the digits), so the unpaid-order query reads it too.
    /// </summary>
    private const string IntakeRowKey = IndexPrefix + "intake";

    /// <summary>The index rows' own range: "idx|" and inverted ticks.</summary>
    private const string IndexEnd = IndexPrefix + ":";

    public enum Creation { Created, AlreadyExists, IntakeChanged }

    /// <summary>
    /// Writes a new order with its timeline, events and index row, and the consumer's intake row as
    /// <paramref name="counted"/> read it: IntakeChanged if another checkout of the consumer wrote
    /// since (count again), AlreadyExists if the order is there.
    /// </summary>
    public async Task<(Creation Outcome, StoredOrder? Created)> CreateAsync(Order order,
        string requestHash, UnpaidOrders counted, CancellationToken cancellationToken)
    {
        var orderRow = OrderEntity.From(order, requestHash, IndexRowKey(order.CreatedAt, order.Id));
        var transaction = new PartitionTransaction(order.ConsumerKey).Add(TableTransactionActionType.Add, orderRow);
        foreach (var entry in order.NewTimelineEntries) transaction.Add(TableTransactionActionType.Add, TimelineEntity.From(order, entry));
        var events = order.NewEvents.Select(evt => OutboxRowOf(order.ConsumerKey, evt)).ToList();
        foreach (var evt in events) transaction.Add(TableTransactionActionType.Add, evt);
        transaction.Add(TableTransactionActionType.Add, OrderIndexEntity.From(orderRow));
        var intakeAction = transaction.Actions.Count;
        var intake = new TableEntity(order.ConsumerKey, IntakeRowKey) { ["LastOrderId"] = order.Id };
        if (counted.Intake is { } etag) intake.ETag = etag;
        transaction.Add(counted.Intake is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, intake);
        try
        {
            await transaction.SubmitAsync(_table, cancellationToken);
            OrderMetrics.Committed(order, order.NewEvents);
            return (Creation.Created, new StoredOrder(order, orderRow, events));
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 0)
        {
            return (Creation.AlreadyExists, null);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && e.FailedTransactionActionIndex == intakeAction)
        {
            return (Creation.IntakeChanged, null);
        }
    }

    /// <summary>The order of an id, or null for an id that names no consumer or no order.</summary>
    public Task<StoredOrder?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        OrderIds.ConsumerKeyOf(orderId) is { } consumerKey ? GetAsync(consumerKey, orderId, cancellationToken) : Task.FromResult<StoredOrder?>(null);

    /// <summary>The consumer's own order of an id; another consumer's is null, exactly like a missing one.</summary>
    public Task<StoredOrder?> FindOwnAsync(string consumerKey, string orderId, CancellationToken cancellationToken) =>
        OrderIds.ConsumerKeyOf(orderId) == consumerKey ? GetAsync(consumerKey, orderId, cancellationToken) : Task.FromResult<StoredOrder?>(null);

    /// <summary>The order with its timeline and outbox, in one single-partition range query.</summary>
    public async Task<StoredOrder?> GetAsync(string consumerKey, string orderId, CancellationToken cancellationToken)
    {
        var prefix = OrderRowKey(orderId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {consumerKey} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        OrderEntity? order = null;
        var timeline = new List<TimelineEntry>();
        var outbox = new List<OutboxRow>();
        var cases = new List<AfterSalesCase>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == prefix) order = row.As<OrderEntity>();
            else if (row.RowKey.StartsWith(prefix + "|tl|", StringComparison.Ordinal)) timeline.Add(TimelineEntity.ToEntry(row));
            else if (row.RowKey.StartsWith(prefix + "|evt|", StringComparison.Ordinal)) outbox.Add(row.As<OutboxRow>());
            else if (row.RowKey.StartsWith(prefix + "|as|", StringComparison.Ordinal))
                cases.Add(JsonSerializer.Deserialize<AfterSalesCase>(row.GetString("CaseJson"), CaseJson)!);
        }
        return order is null ? null : new StoredOrder(order.ToOrder(timeline, outbox.Count, cases),
            order, outbox.OrderBy(e => e.RowKey, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Writes a transition of a loaded order: the order row (only if nobody changed it since it was
    /// read), its new timeline entries and events, and its list entry, in one transaction. A lost
    /// race throws 412, for the caller's optimistic-concurrency loop. Returns the order as written,
    /// its outbox with the new events, so they can be published without reading them back.
    /// </summary>
    public async Task<StoredOrder> SaveAsync(StoredOrder stored, CancellationToken cancellationToken)
    {
        var order = stored.Order;
        var row = OrderEntity.From(order, stored.Row.RequestHash, stored.Row.IndexRowKey);
        row.ETag = stored.Row.ETag;
        var transaction = new PartitionTransaction(order.ConsumerKey).Add(TableTransactionActionType.UpdateReplace, row);
        foreach (var entry in order.NewTimelineEntries) transaction.Add(TableTransactionActionType.Add, TimelineEntity.From(order, entry));
        var events = order.NewEvents.Select(evt => OutboxRowOf(order.ConsumerKey, evt)).ToList();
        foreach (var evt in events) transaction.Add(TableTransactionActionType.Add, evt);
        foreach (var changed in order.ChangedCases)
            transaction.Add(TableTransactionActionType.UpsertReplace, new TableEntity(order.ConsumerKey, CaseRowKey(order.Id, changed.Id))
            {
                ["CaseJson"] = JsonSerializer.Serialize(changed, CaseJson),
            });
        var index = OrderIndexEntity.From(row);
        index.ETag = ETag.All;
        transaction.Add(TableTransactionActionType.UpdateReplace, index);
        await transaction.SubmitAsync(_table, cancellationToken);
        OrderMetrics.Committed(order, order.NewEvents);
        return stored with { Row = row, Outbox = [.. stored.Outbox, .. events] };
    }

    public async Task<(IReadOnlyList<OrderIndexEntity> Page, string? ContinuationToken)> ListAsync(
        string consumerKey, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {consumerKey} and RowKey ge {IndexPrefix} and RowKey lt {IndexEnd}");
        await foreach (var page in _table.QueryAsync<OrderIndexEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
                           .AsPages(continuationToken, pageSize))
            return (page.Values, page.ContinuationToken);
        return ([], null);
    }

    /// <summary>The consumer's orders still waiting for payment, from their list entries, and the intake row's ETag, in one query.</summary>
    public async Task<UnpaidOrders> UnpaidOrdersAsync(string consumerKey, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {consumerKey} and RowKey ge {IndexPrefix} and RowKey le {IntakeRowKey}")
            + " and " + TableClient.CreateQueryFilter($"(Status eq {nameof(OrderStatus.PendingPayment)} or RowKey eq {IntakeRowKey})");
        var ids = new List<string>();
        ETag? intake = null;
        await foreach (var row in _table.QueryAsync<OrderIndexEntity>(filter,
            select: [nameof(OrderIndexEntity.OrderId), "RowKey"], cancellationToken: cancellationToken))
            if (row.RowKey == IntakeRowKey) intake = row.ETag;
            else ids.Add(row.OrderId);
        return new UnpaidOrders(ids, intake);
    }

    public Task MarkPublishedAsync(IReadOnlyList<OutboxRow> events, DateTimeOffset publishedAt, CancellationToken cancellationToken) =>
        OutboxRow.MarkPublishedAsync(_table, events, publishedAt, cancellationToken);
}
