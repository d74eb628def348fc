using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using O2O.Application.Telemetry;

namespace O2O.Application.Storage.Outbox;

public static class OutboxState
{
    public const string NotPublished = "NotPublished";
    public const string Published = "Published";
}

/// <summary>
/// An outbox row: one domain event, written in the same transaction as the change it tells of, in
/// that change's partition, and whether it has been published (eShop's IntegrationEventLog states).
/// Orders keep theirs in the order's partition, agents in the agent's.
/// </summary>
public sealed class OutboxRow : TableRow
{
    public string EventId { get; set; } = "";
    public string OrderId { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
    public string DataJson { get; set; } = "";
    public string State { get; set; } = OutboxState.NotPublished;
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>Set on an event about something other than an order (an agent's withdrawal); otherwise "orders/{OrderId}".</summary>
    public string? Subject { get; set; }

    /// <summary>The W3C trace context of the step that wrote the event, so whoever publishes it later continues that step's trace.</summary>
    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    /// <summary>The step's span context, if the row has one (a method: a property would be stored).</summary>
    public ActivityContext? StepContext() =>
        ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out var context) ? context : null;

    /// <summary>An event of the change being made now, in the current span's trace.</summary>
    public static OutboxRow Of(string partition, string rowKey, string eventId, string type,
        object data, DateTimeOffset at, string orderId = "", string? subject = null)
    {
        var (traceParent, traceState) = O2OTelemetry.CurrentContext();
        return new()
        {
            PartitionKey = partition, RowKey = rowKey, EventId = eventId, Type = type, OccurredAt = at, OrderId = orderId, Subject = subject,
            DataJson = JsonSerializer.Serialize(data, data.GetType(), StorageJson.Options), TraceParent = traceParent, TraceState = traceState,
        };
    }

    /// <summary>
    /// Marks events of one partition published, in one transaction per hundred. Only the state is
    /// merged, whoever wrote the row last: a concurrent relay marking the same events is not an error.
    /// </summary>
    public static async Task MarkPublishedAsync(TableClient table, IReadOnlyList<OutboxRow> events,
        DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        foreach (var chunk in events.Chunk(PartitionTransaction.MaxActions))
        {
            var transaction = new PartitionTransaction(chunk[0].PartitionKey);
            foreach (var evt in chunk)
            {
                evt.State = OutboxState.Published;
                evt.PublishedAt = publishedAt;
                transaction.Add(TableTransactionActionType.UpdateMerge, new TableEntity(evt.PartitionKey, evt.RowKey)
                {
                    [nameof(State)] = evt.State, [nameof(PublishedAt)] = publishedAt, ETag = ETag.All,
                });
            }
            await transaction.SubmitAsync(table, cancellationToken);
            foreach (var evt in chunk) OrderMetrics.Published(evt.OccurredAt, publishedAt);
        }
    }
}
