using System.Diagnostics;
using Azure;
using Azure.Identity;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Microsoft.Extensions.Options;
using O2O.Application.Telemetry;

namespace O2O.Application.Storage.Outbox;

/// <summary>
/// Sends an order's outbox events to the Event Grid topic as CloudEvents 1.0, as one batch in
/// sequence order, each under its outbox id so a re-publication is recognisably the same event.
/// A key locally; the app's managed identity in Azure.
/// </summary>
public sealed class DomainEventPublisher
{
    public const string Source = "/o2o";

    private readonly EventGridPublisherClient _client;

    public DomainEventPublisher(IOptions<EventGridSettings> options)
    {
        var settings = options.Value;
        if (!Uri.TryCreate(settings.TopicEndpoint, UriKind.Absolute, out var endpoint))
            throw new InvalidOperationException("Set EventGrid__TopicEndpoint to the topic's https://…/api/events endpoint.");
        _client = string.IsNullOrEmpty(settings.TopicKey)
            ? new EventGridPublisherClient(endpoint, new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.ClientId)))
            : new EventGridPublisherClient(endpoint, new AzureKeyCredential(settings.TopicKey));
    }

    public async Task PublishAsync(IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        using var span = O2OTelemetry.Source.StartActivity("publish events", ActivityKind.Producer);
        span?.SetTag("messaging.system", "eventgrid");
        span?.SetTag("messaging.batch.message_count", events.Count);
        await _client.SendEventsAsync(events.Select(ToCloudEvent), cancellationToken);
    }

    /// <summary>
    /// The event as a CloudEvent, with the trace context of the step that wrote it (the distributed
    /// tracing extension), set here because the SDK would otherwise stamp the publisher's own.
    /// </summary>
    public static CloudEvent ToCloudEvent(OutboxRow evt)
    {
        var cloudEvent = new CloudEvent(Source, evt.Type, BinaryData.FromString(evt.DataJson), "application/json", CloudEventDataFormat.Json)
        {
            Id = evt.EventId,
            Subject = evt.Subject ?? $"orders/{evt.OrderId}",
            Time = evt.OccurredAt,
        };
        if (evt.TraceParent is { } traceParent) cloudEvent.ExtensionAttributes["traceparent"] = traceParent;
        if (evt.TraceState is { Length: > 0 } traceState) cloudEvent.ExtensionAttributes["tracestate"] = traceState;
        return cloudEvent;
    }

}
