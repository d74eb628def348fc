using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace O2O.IntegrationTests.LocalHost;

/// <summary>The local Event Grid topic refuses what the real one refuses, and delivers with the webhook handshake.</summary>
public sealed class EventGridSandboxTests
{
    private const string Event = """{"specversion":"1.0","id":"e-1","source":"/o2o","type":"o2o.order.placed","data":{}}""";

    [Theory]
    [InlineData("wrong-key", "application/cloudevents-batch+json", "[" + Event + "]", HttpStatusCode.Unauthorized)]
    [InlineData("test-topic-key", "application/json", "[" + Event + "]", HttpStatusCode.BadRequest)]
    [InlineData("test-topic-key", "application/cloudevents-batch+json", Event, HttpStatusCode.BadRequest)]
    [InlineData("test-topic-key", "application/cloudevents-batch+json", """[{"specversion":"1.0","source":"/o2o","type":"x"}]""", HttpStatusCode.BadRequest)]
    [InlineData("test-topic-key", "application/cloudevents-batch+json", """[{"specversion":"0.3","id":"e","source":"/o2o","type":"x"}]""", HttpStatusCode.BadRequest)]
    [InlineData("test-topic-key", "application/cloudevents-batch+json", "[" + Event + "]", HttpStatusCode.OK)]
    public async Task The_topic_checks_key_media_type_and_events_as_event_grid_does(string key, string contentType, string body, HttpStatusCode expected)
    {
        var app = await TestApp.Shared;
        using var request = new HttpRequestMessage(HttpMethod.Post,
            "/sandbox/eventgrid/api/events")
        { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("aeg-sas-key", key);

        var answer = await app.Http.SendAsync(request);

        Assert.Equal(expected, answer.StatusCode);
    }

    [Fact]
    public async Task A_batch_over_1_MB_is_a_413()
    {
        var app = await TestApp.Shared;
        var big = "[" + string.Join(',', Enumerable.Range(0, 12_000).Select(i => Event.Replace("e-1", $"e-{i}", StringComparison.Ordinal))) + "]";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sandbox/eventgrid/api/events")
        {
            Content = new StringContent(big,
            Encoding.UTF8, "application/cloudevents-batch+json")
        };
        request.Headers.Add("aeg-sas-key", "test-topic-key");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await app.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Published_order_events_of_the_types_its_filter_includes_reach_a_subscriber_after_it_passes_the_handshake()
    {
        var received = new ConcurrentQueue<JsonElement>();
        var handshakes = new ConcurrentQueue<string?>();
        var subscriber = WebApplication.CreateSlimBuilder();
        subscriber.WebHost.UseUrls("http://127.0.0.1:0");
        await using var endpoint = subscriber.Build();
        endpoint.MapMethods("/events", ["OPTIONS"], (HttpContext context) =>
        {
            handshakes.Enqueue(context.Request.Headers["WebHook-Request-Origin"]);
            context.Response.Headers["WebHook-Allowed-Origin"] = context.Request.Headers["WebHook-Request-Origin"];
            return Results.Ok();
        });
        endpoint.MapPost("/events", async (HttpContext context) =>
        {
            received.Enqueue((await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone());
            return Results.Ok();
        });
        await endpoint.StartAsync();
        // The whole app on storage of its own, so its relay (not the shared host's) publishes these orders.
        await using var app = await TestApp.StartIsolatedAsync(new Dictionary<string, string?>
        {
            ["Sandbox__EventGridSubscribers"] = new Uri(endpoint.BaseAddress(), "events").ToString(),
            // As the subscription's includedEventTypes filter: o2o.order.placed is published and not delivered.
            ["Sandbox__EventGridIncludedEventTypes"] = "o2o.order.paid, o2o.order.accepted",
        });
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();

        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(app, orderId);
        for (var i = 0; i < 100 && received.IsEmpty; i++) await Task.Delay(100);
        await Task.Delay(500); // time for the placed event too, were it delivered

        Assert.Equal([EventGridSandbox.Origin], handshakes);
        Assert.Equal(2, app.Host.Services.GetRequiredService<EventGridSandbox>().Received.Count(e =>
            e.GetProperty("subject").GetString() == $"orders/{orderId}"));
        // At least once: the same event may come twice; compare by id.
        var distinct = received.DistinctBy(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(["o2o.order.paid"], distinct.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([$"{orderId}.0002"], distinct.Select(e => e.GetProperty("id").GetString()));
        Assert.All(received, e => Assert.Equal($"orders/{orderId}", e.GetProperty("subject").GetString()));
        Assert.Equal(orderId, received.First().GetProperty("data").GetProperty("orderId").GetString());
    }
}
