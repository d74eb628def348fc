using Azure;
using Azure.Identity;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Microsoft.Extensions.Options;

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
        await _client.SendEventsAsync(events.Select(ToCloudEvent), cancellationToken);
    }

    public static CloudEvent ToCloudEvent(OutboxRow evt) =>
        new(Source, evt.Type, BinaryData.FromString(evt.DataJson), "application/json", CloudEventDataFormat.Json)
        {
            Id = evt.EventId,
            Subject = evt.Subject ?? $"orders/{evt.OrderId}",
            Time = evt.OccurredAt,
        };

}
