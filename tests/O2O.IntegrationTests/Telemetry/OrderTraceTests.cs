using System.Diagnostics;
using O2O.Application.Storage.Outbox;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace O2O.IntegrationTests.Telemetry;

/// <summary>
/// One order followed across every hop with an in-memory exporter: each step's trace (the caller's
/// traceparent, or the function's own) is the one its events carry to Event Grid, the one the queue
/// work it asks for continues, and the one Event Grid's subscriber continues.
/// </summary>
public sealed class OrderTraceTests
{
    [Fact]
    public async Task Each_step_of_an_order_is_one_trace_from_its_request_through_the_outbox_queues_and_event_grid()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(O2OTelemetry.Name, O2OTelemetry.FunctionsWorkerSource)
            .AddInMemoryExporter(spans)
            .Build();
        using var scene = await StoreScene.StartAsync();
        var (app, _, sku, store, consumer, clerk) = scene;

        var (placing, accepting, readying, handing) = (Caller.New(), Caller.New(), Caller.New(), Caller.New());
        var orderId = (await (await consumer.SendAsync(placing.Stamp(new HttpRequestMessage(HttpMethod.Post, "orders")
        {
            Content = JsonContent.Create(Checkout.PickupAt(store, (sku, 1))),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        }))).ReadOkAsync(HttpStatusCode.Created)).GetProperty("orderId").GetString()!;
        await consumer.PayAsync(app, orderId);
        await (await clerk.SendAsync(accepting.Stamp(new(HttpMethod.Post, $"stores/{store}/orders/{orderId}/accept")))).ReadOkAsync();
        await (await clerk.SendAsync(readying.Stamp(new(HttpMethod.Post, $"stores/{store}/orders/{orderId}/ready")))).ReadOkAsync();
        var code = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();
        await (await clerk.SendAsync(handing.Stamp(new(HttpMethod.Post, $"stores/{store}/pickups/verify") { Content = JsonContent.Create(new { code }) })))
            .ReadOkAsync();
        await OrderCenterUploads.EventuallyAsync(app, orderId); // the queue work the hand-over asked for
        var events = await EventsAsync(app, orderId, OrderEventTypes.PickedUp);
        var notified = await SpanAsync(spans, s => s.DisplayName == $"notify {OrderEventTypes.ReadyForPickup}" && s.TraceId == readying.TraceId);

        Assert.Equal(placing.TraceId, TraceOf(events[OrderEventTypes.Placed]));
        Assert.Equal(accepting.TraceId, TraceOf(events[OrderEventTypes.Accepted]));
        Assert.Equal(readying.TraceId, TraceOf(events[OrderEventTypes.ReadyForPickup]));
        Assert.Equal(handing.TraceId, TraceOf(events[OrderEventTypes.PickedUp]));
        // The function continues its caller's span; the payment notification's own invocation is the paid event's trace.
        var placeOrder = Assert.Single(Snapshot(spans), s => s.DisplayName == "PlaceOrder" && s.TraceId == placing.TraceId);
        Assert.Equal(placing.SpanId, placeOrder.ParentSpanId);
        Assert.Contains(Snapshot(spans), s => s.DisplayName == "WeChatPayNotify" && s.TraceId == TraceOf(events[OrderEventTypes.Paid]));
        // The placed event's publication: in the placing trace, or, when the checkout's own try failed and it went out later with a
        // newer event, in that one's trace linked to the placing step (OutboxRelay.SpanOf).
        Assert.Contains(Snapshot(spans), s => s.DisplayName == "relay order events"
            && (s.TraceId == placing.TraceId || s.Links.Any(l => l.Context.TraceId == placing.TraceId)));
        // The hand-over's queue message carried its trace into the UploadShipping function.
        Assert.Contains(Snapshot(spans), s => s.DisplayName == "process shipping-uploads" && s.TraceId == handing.TraceId);
        Assert.Equal(ActivityKind.Consumer, notified.Kind); // Event Grid's delivery to the notifications webhook, in the ready step's trace
    }

    [Fact]
    public async Task Events_published_later_by_the_relay_carry_the_trace_of_the_step_that_wrote_them_and_its_queue_message_does_too()
    {
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(O2OTelemetry.Name).Build();
        await using var app = await TestApp.StartWithClockAsync(TimeProvider.System, ownStorage: true);
        using var scene = await StoreScene.StartAsync(app);
        var orderId = await scene.Consumer.PlaceOrderAsync(Checkout.PickupAt(scene.Store, (scene.Sku, 1)));
        var services = app.Host.Services;
        var wrongKey = new DomainEventPublisher(Microsoft.Extensions.Options.Options.Create(new EventGridSettings
        {
            TopicEndpoint = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventGridSettings>>().Value.TopicEndpoint,
            TopicKey = "wrong",
        }));
        var cutOff = ActivatorUtilities.CreateInstance<OrderChanges>(services, ActivatorUtilities.CreateInstance<OutboxRelay>(services, wrongKey));
        var outbox = app.Queues.GetQueueClient(O2O.Application.Storage.StorageNames.OrderOutboxQueue);
        await outbox.ClearMessagesAsync();

        ActivityTraceId step;
        using (var cancelling = O2OTelemetry.Source.StartActivity("the buyer cancels")!)
        {
            step = cancelling.TraceId;
            await cutOff.ApplyAsync(orderId, o => o.Cancel(DateTimeOffset.UtcNow, "consumer", "changed my mind"), CancellationToken.None);
        }
        var message = Assert.Single((await outbox.PeekMessagesAsync(10)).Value).Body.ToString();
        ActivityTraceId sweep;
        using (var relaying = O2OTelemetry.Source.StartActivity("a relay run")!)
        {
            sweep = relaying.TraceId;
            await services.GetRequiredService<OutboxRelay>().RelayAsync(orderId, CancellationToken.None);
        }
        var events = await EventsAsync(app, orderId, OrderEventTypes.Cancelled);

        Assert.NotEqual(step, sweep);
        Assert.Equal(step, TraceOf(events[OrderEventTypes.Cancelled])); // the step's, not the relay run's
        Assert.Contains(step.ToString(), message, StringComparison.Ordinal); // the relay's nudge carries it too
        Assert.Equal(orderId, TracedMessage.IdOf(message));
    }

    /// <summary>A caller's span: the traceparent it sends.</summary>
    private sealed record Caller(ActivityTraceId TraceId, ActivitySpanId SpanId)
    {
        public static Caller New() => new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        public HttpRequestMessage Stamp(HttpRequestMessage request)
        {
            request.Headers.Add("traceparent", $"00-{TraceId}-{SpanId}-01");
            return request;
        }
    }

    private static ActivityTraceId TraceOf(JsonElement cloudEvent) =>
        ActivityContext.Parse(cloudEvent.GetProperty("traceparent").GetString()!, null).TraceId;

    private static Activity[] Snapshot(List<Activity> spans)
    {
        lock (spans) return [.. spans];
    }

    /// <summary>The order's events the topic took, by type, once <paramref name="last"/> is among them.</summary>
    private static async Task<Dictionary<string, JsonElement>> EventsAsync(TestApp app, string orderId, string last)
    {
        for (var i = 0; i < 300; i++)
        {
            var events = PublishedEvents.All(app)
                .Where(e => e.TryGetProperty("subject", out var subject) && subject.GetString() == $"orders/{orderId}")
                .GroupBy(e => e.GetProperty("type").GetString()!).ToDictionary(g => g.Key, g => g.First());
            if (events.ContainsKey(last)) return events;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{last} of {orderId} never reached the topic");
    }

    private static async Task<Activity> SpanAsync(List<Activity> spans, Func<Activity, bool> match)
    {
        for (var i = 0; i < 300; i++)
        {
            if (Snapshot(spans).FirstOrDefault(match) is { } span) return span;
            await Task.Delay(100);
        }
        throw new TimeoutException("the span never ended");
    }
}
