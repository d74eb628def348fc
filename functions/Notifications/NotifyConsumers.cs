using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using O2O.Application.Notifications;
using O2O.Application.Platform;

namespace O2O.Functions.Notifications;

/// <summary>
/// Event Grid's webhook for consumer notifications. It answers both validation handshakes
/// (CloudEvents: OPTIONS with WebHook-Request-Origin; Event Grid schema: a
/// SubscriptionValidationEvent, answered with its code), takes deliveries only with the key the
/// subscription was created with (?key=), and hands each CloudEvent to the notifier. A failure
/// answers 500, and Event Grid delivers again.
/// </summary>
public sealed class NotifyConsumers(ConsumerNotifications notifications, IOptions<NotificationSettings> settings)
{
    public const int MaxBytes = 1024 * 1024;
    public const string ValidationEventType = "Microsoft.EventGrid.SubscriptionValidationEvent";

    [Function(nameof(NotifyConsumers))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", "post", Route = "api/events/notifications")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!KeyMatches(request.Query["key"])) return ApiResponse.Problem(Domain.Common.Error.Unauthorized("The webhook key is missing or wrong."));
        if (HttpMethods.IsOptions(request.Method))
        {
            var origin = request.Headers["WebHook-Request-Origin"].ToString();
            if (string.IsNullOrEmpty(origin)) return ApiResponse.Problem(Domain.Common.Error.Validation("WebHook-Request-Origin", "header is required"));
            request.HttpContext.Response.Headers["WebHook-Allowed-Origin"] = origin;
            return new OkResult();
        }

        var body = await RawBody.ReadAsync(request, MaxBytes, cancellationToken);
        if (body is null) return ApiResponse.Problem(Domain.Common.Error.Validation("body", $"must be at most {MaxBytes} bytes"));
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return ApiResponse.Problem(Domain.Common.Error.Validation("body", "is not JSON"));
        }
        var events = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        if (events.FirstOrDefault() is { ValueKind: JsonValueKind.Object } first && JsonFields.Text(first, "eventType") == ValidationEventType)
            return first.TryGetProperty("data", out var validation) && JsonFields.Text(validation, "validationCode") is { } code
                ? new OkObjectResult(new { validationResponse = code })
                : ApiResponse.Problem(Domain.Common.Error.Validation("data.validationCode", "is required"));

        foreach (var evt in events)
        {
            if (evt.ValueKind != JsonValueKind.Object || JsonFields.Text(evt, "id") is not { } id || JsonFields.Text(evt, "type") is not { } type)
                return ApiResponse.Problem(Domain.Common.Error.Validation("body", "each event needs an id and a type (CloudEvents 1.0)"));
            var data = evt.TryGetProperty("data", out var d) ? d : default;
            await notifications.HandleAsync(new DeliveredEvent(id, type, JsonFields.Text(evt, "subject"), data,
                JsonFields.Text(evt, "traceparent"), JsonFields.Text(evt, "tracestate")), cancellationToken);
        }
        return new OkResult();
    }

    private bool KeyMatches(string? key) =>
        !string.IsNullOrEmpty(settings.Value.WebhookKey) && key is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(settings.Value.WebhookKey));

}
