using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace O2O.LocalHost;

/// <summary>
/// A stand-in for an Event Grid custom topic at /sandbox/eventgrid/api/events, so the real
/// EventGridPublisherClient publishes to it. Like the topic it takes
/// application/cloudevents-batch+json batches of at most 1 MB with the `aeg-sas-key` header, and
/// answers 401 (key), 413 (size) or 400 (not a batch of CloudEvents 1.0 with id, source and type).
/// Accepted events are kept in memory (<see cref="Received"/>) and delivered to the webhooks in
/// Sandbox__EventGridSubscribers (';'-separated), each validated (until it passes) by the CloudEvents
/// handshake (OPTIONS with WebHook-Request-Origin, expecting WebHook-Allowed-Origin back), one
/// event a request, retried three times. Like the subscription's filter in Azure, only the types
/// in Sandbox__EventGridIncludedEventTypes (','-separated; every type when it is empty) go out.
/// </summary>
public sealed partial class EventGridSandbox(IConfiguration configuration, ILogger<EventGridSandbox> logger)
{
    public const string BasePath = "/sandbox/eventgrid";
    public const int MaxBatchBytes = 1024 * 1024;
    public const string Origin = "eventgrid.azure.net";

    private static readonly HttpClient Deliverer = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _validated = new();

    private int _deliveryAttempts;
    private int _deliveriesInFlight;

    /// <summary>Every event the topic accepted, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Received => [.. _received];

    /// <summary>Posts to subscribers, retries included: with the events published, what Event Grid bills.</summary>
    public int DeliveryAttempts => Volatile.Read(ref _deliveryAttempts);

    /// <summary>Raised for each event the topic accepts, before delivery: how a benchmark watches orders without polling the API.</summary>
    public event Action<JsonElement>? Accepted;

    /// <summary>Events accepted whose deliveries have not finished yet.</summary>
    public int DeliveriesInFlight => Volatile.Read(ref _deliveriesInFlight);

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<EventGridSandbox>();
        app.MapPost(BasePath + "/api/events", (Delegate)sandbox.PublishAsync);
    }

    private async Task<IResult> PublishAsync(HttpContext context)
    {
        if (context.Request.Headers["aeg-sas-key"] != configuration["EventGrid:TopicKey"] || string.IsNullOrEmpty(configuration["EventGrid:TopicKey"]))
            return Error(StatusCodes.Status401Unauthorized, "Unauthorized", "The request authorization key is not authorized for this topic.");
        if (context.Request.ContentType?.StartsWith("application/cloudevents-batch+json", StringComparison.OrdinalIgnoreCase) != true)
            return Error(StatusCodes.Status400BadRequest, "BadRequest", "Content-Type must be application/cloudevents-batch+json.");
        if (context.Request.ContentLength > MaxBatchBytes)
            return Error(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"The batch exceeds {MaxBatchBytes} bytes.");
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (Encoding.UTF8.GetByteCount(body) > MaxBatchBytes)
            return Error(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"The batch exceeds {MaxBatchBytes} bytes.");

        JsonElement batch;
        try
        {
            batch = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "BadRequest", "The body is not JSON.");
        }
        if (batch.ValueKind != JsonValueKind.Array) return Error(StatusCodes.Status400BadRequest, "BadRequest", "A batch is a JSON array of events.");
        foreach (var evt in batch.EnumerateArray())
            if (Malformed(evt) is { } problem) return Error(StatusCodes.Status400BadRequest, "BadRequest", problem);

        foreach (var evt in batch.EnumerateArray())
        {
            _received.Enqueue(evt);
            Accepted?.Invoke(evt);
            Interlocked.Increment(ref _deliveriesInFlight);
            _ = DeliverAsync(evt).ContinueWith(_ => Interlocked.Decrement(ref _deliveriesInFlight), TaskScheduler.Default);
        }
        return Results.Ok();
    }

    private static string? Malformed(JsonElement evt)
    {
        if (evt.ValueKind != JsonValueKind.Object) return "Each event must be a JSON object.";
        foreach (var name in new[] { "id", "source", "type", "specversion" })
            if (!evt.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
                return $"The event is missing its required '{name}' attribute.";
        return evt.GetProperty("specversion").GetString() == "1.0" ? null : "Only CloudEvents specversion 1.0 is supported.";
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    private async Task DeliverAsync(JsonElement evt)
    {
        var included = (configuration["Sandbox:EventGridIncludedEventTypes"] ?? "").Split(',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (included.Length > 0 && !included.Contains(evt.GetProperty("type").GetString(), StringComparer.Ordinal)) return;
        var subscribers = (configuration["Sandbox:EventGridSubscribers"] ?? "").Split(';',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var subscriber in subscribers)
        {
            var validation = _validated.GetOrAdd(subscriber, url => new Lazy<Task<bool>>(() => ValidateAsync(url)));
            if (!await validation.Value)
            {
                _validated.TryRemove(new KeyValuePair<string, Lazy<Task<bool>>>(subscriber, validation)); // asked again with the next event
                LogNotValidated(logger, subscriber);
                continue;
            }
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                try
                {
                    Interlocked.Increment(ref _deliveryAttempts);
                    using var content = new StringContent(evt.GetRawText(), Encoding.UTF8, "application/cloudevents+json");
                    using var response = await Deliverer.PostAsync(new Uri(subscriber), content);
                    if (response.IsSuccessStatusCode) break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    LogDeliveryFailed(logger, e, subscriber);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    /// <summary>The CloudEvents abuse-protection handshake Event Grid performs before delivering to a webhook.</summary>
    private async Task<bool> ValidateAsync(string subscriber)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, subscriber);
            request.Headers.Add("WebHook-Request-Origin", Origin);
            using var response = await Deliverer.SendAsync(request);
            return response.IsSuccessStatusCode
                   && response.Headers.TryGetValues("WebHook-Allowed-Origin", out var allowed)
                   && allowed.Any(a => a == Origin || a == "*");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            LogDeliveryFailed(logger, e, subscriber);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Grid sandbox: {Subscriber} did not pass the validation handshake; nothing is delivered to it")]
    private static partial void LogNotValidated(ILogger logger, string subscriber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Grid sandbox: delivery to {Subscriber} failed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string subscriber);
}
