using System.Text;
using O2O.Application.Notifications;
using O2O.IntegrationTests.AfterSales;

namespace O2O.IntegrationTests.Notifications;

/// <summary>Events reach the consumer as WeChat subscribe messages: publisher → local topic → the app's webhook → WeChat sandbox.</summary>
public sealed class NotificationTests
{
    private const string Webhook = "events/notifications?key=test-notifications-key";

    [Fact]
    public async Task A_pickup_that_is_ready_reaches_its_payer_once_with_the_code()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var consumer = await world.App.NewConsumerAsync(openId);
        using var clerk = await world.ClerkAsync(store);
        var (orderId, code) = await consumer.ReadyPickupAsync(world.App, clerk, store, tea);

        var message = await EventuallySentAsync(world.App, openId);
        await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0004"); // ready_for_pickup: the fourth event
        await Task.Delay(500); // a repeated delivery, if any, would land by now

        Assert.Equal("test-template", message.TemplateId);
        Assert.Equal($"pages/order/detail?orderId={orderId}", message.Page);
        Assert.Equal("待取货", message.Data.GetProperty("phrase2").GetProperty("value").GetString());
        Assert.Equal($"到店出示取货码 {code}", message.Data.GetProperty("thing3").GetProperty("value").GetString());
        Assert.Single(Sandbox(world.App).Sent, m => m.ToUser == openId); // placed, paid, accepted: not news
    }

    [Fact]
    public async Task The_same_event_delivered_twice_is_handled_once()
    {
        var (app, openId, evt) = await ReadyEventAsync();
        var before = Sandbox(app).Sent.Count(m => m.ToUser == openId);

        Assert.Equal(HttpStatusCode.OK, (await app.Http.PostAsync(Webhook, CloudEvent(evt))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.PostAsync(Webhook, CloudEvent(evt))).StatusCode);

        Assert.Equal(1, before);
        Assert.Equal(1, Sandbox(app).Sent.Count(m => m.ToUser == openId));
    }

    [Fact]
    public async Task A_stale_access_token_is_fetched_again_and_the_message_still_goes()
    {
        var (app, openId, evt) = await ReadyEventAsync();
        Sandbox(app).ExpireTokens();
        var redelivered = JsonSerializer.Deserialize<Dictionary<string, object?>>(evt.GetRawText())!;
        redelivered["id"] = evt.GetProperty("id").GetString() + "-again"; // another event, so it is not a duplicate

        Assert.Equal(HttpStatusCode.OK, (await app.Http.PostAsync(Webhook, CloudEvent(JsonSerializer.SerializeToElement(redelivered)))).StatusCode);

        Assert.Equal(2, Sandbox(app).Sent.Count(m => m.ToUser == openId));
    }

    /// <summary>
    /// /cgi-bin/token hands out a new token per call, invalidating the last: instances fetching
    /// on their own would knock each other's tokens out. stable_token gives them the same one.
    /// </summary>
    [Fact]
    public async Task Two_instances_each_with_its_own_token_cache_share_one_stable_token()
    {
        await using var app = await TestApp.StartIsolatedAsync(); // a sandbox whose tokens no other test touches
        var services = app.Host.Services;
        WeChatMessageClient Instance() => new(new O2O.Application.Platform.WeChatApi(
            services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(O2O.Application.Platform.WeChatApi)),
            new O2O.Application.Platform.AccessTokenCache(TimeProvider.System),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<O2O.Application.Platform.WeChatSettings>>()));
        var (first, second) = (Instance(), Instance());
        var fields = new Dictionary<string, string> { ["phrase2"] = "待取货" };

        var sent = new[]
        {
            await first.SendAsync("o-first", "t", "p", fields, CancellationToken.None),
            await second.SendAsync("o-second", "t", "p", fields, CancellationToken.None),
            await first.SendAsync("o-first", "t", "p", fields, CancellationToken.None),
        };

        Assert.All(sent, Assert.True);
        Assert.Equal(1, Sandbox(app).TokensIssued);
    }

    [Fact]
    public async Task A_consumer_who_has_not_subscribed_is_not_an_error()
    {
        var (app, _, evt) = await ReadyEventAsync(openIdPrefix: "nosub-");

        var again = JsonSerializer.Deserialize<Dictionary<string, object?>>(evt.GetRawText())!;
        again["id"] = evt.GetProperty("id").GetString() + "-b";
        var answer = await app.Http.PostAsync(Webhook, CloudEvent(JsonSerializer.SerializeToElement(again)));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task Both_validation_handshakes_are_answered_and_a_wrong_key_is_refused()
    {
        var app = await TestApp.Shared;
        using var options = new HttpRequestMessage(HttpMethod.Options, Webhook);
        options.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        var validation = """[{"id":"v-1","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","subject":"","eventTime":"2026-11-27T00:00:00Z","dataVersion":"1","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp-eastus2.eventgrid.azure.net/x"}}]""";

        var handshake = await app.Http.SendAsync(options);
        var validated = await (await app.Http.PostAsync(Webhook, new StringContent(validation, Encoding.UTF8, "application/json"))).ReadOkAsync();
        var wrongKey = await app.Http.PostAsync("events/notifications?key=nope", new StringContent("[]", Encoding.UTF8, "application/json"));
        var noKey = await app.Http.PostAsync("events/notifications", new StringContent("[]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Equal("eventgrid.azure.net", handshake.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validated.GetProperty("validationResponse").GetString());
        await wrongKey.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await noKey.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_event_without_id_or_type_is_a_400()
    {
        var app = await TestApp.Shared;

        var answer = await app.Http.PostAsync(Webhook, new StringContent("""{"specversion":"1.0","source":"/o2o"}""", Encoding.UTF8, "application/cloudevents+json"));

        await answer.ReadValidationProblemAsync("body");
    }

    private static WeChatMessageSandbox Sandbox(TestApp app) => app.Host.Services.GetRequiredService<WeChatMessageSandbox>();

    private static StringContent CloudEvent(JsonElement evt) => new(evt.GetRawText(), Encoding.UTF8, "application/cloudevents+json");

    /// <summary>A pickup order made ready, its ready_for_pickup event as published, after the topic delivered it once.</summary>
    [Fact]
    public async Task The_payer_hears_when_an_after_sales_case_is_turned_down_approved_and_refunded()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var consumer = await world.App.NewConsumerAsync(openId);
        using var clerk = await world.ClerkAsync(store);
        var (orderId, code) = await consumer.PickedUpAsync(world.App, clerk, store, tea, quantity: 2);
        var turnedDown = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, turnedDown.Id(), "reject", new { reason = "做法无误" })).ReadOkAsync();
        var refunded = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, refunded.Id(), "approve")).ReadOkAsync();
        await consumer.EventuallyAsync(orderId, refunded.Id(), "Refunded");

        string[] expected = [$"待取货 到店出示取货码 {code}", "售后被拒绝 做法无误", "售后已通过 退款处理中，将原路退回", "已退款 售后退款 18.00 元已原路退回"];
        IReadOnlyList<string> told = [];
        for (var i = 0; i < 300 && told.Count < expected.Length; i++, await Task.Delay(100))
            told = [.. Sandbox(world.App).Sent.Where(m => m.ToUser == openId)
                .Select(m => $"{m.Data.GetProperty("phrase2").GetProperty("value").GetString()} " +
                    $"{m.Data.GetProperty("thing3").GetProperty("value").GetString()}")];
        Assert.Equal(expected.Order(StringComparer.Ordinal), told.Order(StringComparer.Ordinal)); // delivered in any order; picked up is not news
    }

    private static async Task<(TestApp App, string OpenId, JsonElement Event)> ReadyEventAsync(string openIdPrefix = "o-")
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        var openId = openIdPrefix + Guid.NewGuid().ToString("N");
        using var consumer = await world.App.NewConsumerAsync(openId);
        using var clerk = await world.ClerkAsync(store);
        var (orderId, _) = await consumer.ReadyPickupAsync(world.App, clerk, store, tea);
        var evt = await PublishedEvents.WaitForAsync(world.App, $"{orderId}.0004");
        if (openIdPrefix == "o-") await EventuallySentAsync(world.App, openId);
        else await Task.Delay(500);
        return (world.App, openId, evt);
    }

    private static async Task<WeChatMessageSandbox.Message> EventuallySentAsync(TestApp app, string openId)
    {
        for (var i = 0; i < 300; i++)
        {
            if (Sandbox(app).Sent.FirstOrDefault(m => m.ToUser == openId) is { } message) return message;
            await Task.Delay(100);
        }
        Assert.Fail($"no message reached {openId}");
        return null!;
    }
}
