using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.OrderCenter;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.OrderCenter;

public sealed class ShippingUploadTests
{
    [Fact]
    public async Task A_pickup_handed_over_is_uploaded_once_as_buyer_pickup_with_the_hand_over_time_and_the_lines()
    {
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var scene = await StoreScene.StartAsync(openId: openId);
        var (app, _, tea, store, consumer, clerk) = scene;

        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea, quantity: 2);
        var upload = await OrderCenterUploads.EventuallyAsync(app, orderId);
        var order = await EventuallyRecordedAsync(app, orderId);

        var body = JsonDocument.Parse(upload.Body).RootElement;
        Assert.Equal(1, body.GetProperty("order_key").GetProperty("order_number_type").GetInt32());
        Assert.Equal(TestApp.MchId, body.GetProperty("order_key").GetProperty("mchid").GetString());
        Assert.Equal(orderId, body.GetProperty("order_key").GetProperty("out_trade_no").GetString());
        Assert.Equal((4, 1), (body.GetProperty("logistics_type").GetInt32(), body.GetProperty("delivery_mode").GetInt32()));
        Assert.Equal("Jasmine milk tea×2", Assert.Single(body.GetProperty("shipping_list").EnumerateArray()).GetProperty("item_desc").GetString());
        Assert.Equal(openId, body.GetProperty("payer").GetProperty("openid").GetString());
        var handedOver = order.Timeline.Single(t => t.Status == OrderStatus.PickedUp).At;
        Assert.Equal(handedOver.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff+08:00"), body.GetProperty("upload_time").GetString());
        Assert.Equal(4, order.OrderCenter!.LogisticsType);
        Assert.Equal(1, OrderCenterUploads.Sandbox(app).CallsFor(orderId));
        var seen = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync(); // the buyer's view says WeChat has it
        Assert.Equal(JsonValueKind.String, seen.GetProperty("orderCenter").GetProperty("shippingUploadedAt").ValueKind);
    }

    [Fact]
    public async Task A_delivery_is_uploaded_as_same_city_delivery_once_a_rider_took_it_and_names_no_courier()
    {
        using var scene = await StoreScene.StartAsync(couriers: ["sf"]);
        var (app, world, tea, store, consumer, clerk) = scene;
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(800), (tea, 1)));
        await consumer.PayAsync(app, orderId);
        await clerk.AcceptAndReadyAsync(store, orderId);

        var upload = await OrderCenterUploads.EventuallyAsync(app, orderId);

        Assert.Equal(2, upload.LogisticsType);
        var shipment = Assert.Single(JsonDocument.Parse(upload.Body).RootElement.GetProperty("shipping_list").EnumerateArray());
        Assert.False(shipment.TryGetProperty("tracking_no", out _)); // express only: a change of courier changes nothing WeChat holds
        var order = await EventuallyRecordedAsync(app, orderId);
        Assert.Contains(order.Timeline, t => t.Status == OrderStatus.CourierAssigned);
    }

    [Fact]
    public async Task Ten_redeliveries_of_one_upload_and_a_busy_answer_leave_one_upload_in_effect()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);
        await OrderCenterUploads.EventuallyAsync(app, orderId);
        var uploads = app.Host.Services.GetRequiredService<ShippingUploads>();

        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => uploads.UploadAsync(orderId, CancellationToken.None)));

        Assert.All(again, Assert.True);
        Assert.Single(OrderCenterUploads.Sandbox(app).Shipped.Keys, k => k == orderId);
        Assert.Equal(1, OrderCenterUploads.Sandbox(app).CallsFor(orderId)); // recorded on the order: a redelivery asks WeChat nothing
    }

    [Fact]
    public async Task An_upload_lost_with_its_message_is_made_by_the_reconciler_in_one_sweep_through_a_stale_token_and_a_busy_WeChat()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true); // no queue listener: the upload's message is never taken
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);
        var uploads = app.Host.Services.GetRequiredService<ShippingUploads>();
        var asked = (await app.Queues.GetQueueClient(StorageNames.ShippingUploadsQueue).PeekMessagesAsync(32)).Value;

        var early = await uploads.ReconcileAsync(CancellationToken.None); // not yet due: the message may still come
        clock.Advance(TimeSpan.FromMinutes(3));
        app.Host.Services.GetRequiredService<WeChatMessageSandbox>().ExpireTokens();
        OrderCenterUploads.Sandbox(app).FailNext(-1);
        var busy = await uploads.ReconcileAsync(CancellationToken.None);
        var swept = await uploads.ReconcileAsync(CancellationToken.None);
        var after = await uploads.ReconcileAsync(CancellationToken.None);

        Assert.Contains(asked, m => TracedMessage.IdOf(m.Body.ToString()) == orderId);
        Assert.Equal((0, 0, 1, 0), (early, busy, swept, after));
        Assert.True(OrderCenterUploads.Sandbox(app).Shipped.ContainsKey(orderId));
        Assert.NotNull((await OrderAsync(app, orderId)).OrderCenter?.UploadedAt);
    }

    [Fact]
    public async Task An_order_cancelled_before_it_was_fulfilled_uploads_nothing()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, _, tea, store, consumer, _) = scene;
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(app, orderId);
        await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();

        var done = await app.Host.Services.GetRequiredService<ShippingUploads>().UploadAsync(orderId, CancellationToken.None);

        Assert.True(done);
        Assert.Equal(0, OrderCenterUploads.Sandbox(app).CallsFor(orderId));
        Assert.Null((await OrderAsync(app, orderId)).OrderCenter);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signed_settlement_push_records_receipt_and_settlement_once_and_a_forged_one_records_nothing(bool safeMode)
    {
        using var scene = await StoreScene.StartAsync();
        var (app, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);
        var (confirmed, settled) = (DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(-1));
        var message = new
        {
            ToUserName = "gh_sandbox", FromUserName = "o-wechat", CreateTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), MsgType = "event",
            Event = "trade_manage_order_settlement", transaction_id = "4200000000", merchant_id = TestApp.MchId, merchant_trade_no = orderId,
            confirm_receive_time = confirmed.ToUnixTimeSeconds(), settlement_time = settled.ToUnixTimeSeconds(),
        };
        var (query, body) = OrderCenterUploads.Sandbox(app).SignPush(message, safeMode, DateTimeOffset.UtcNow);
        var forgedQuery = Regex.Replace(query, "^signature=[0-9a-f]{40}", "signature=" + new string('0', 40));

        var forged = await PushAsync(app, forgedQuery, body);
        var unchanged = await OrderAsync(app, orderId);
        var first = await PushAsync(app, query, body);
        var second = await PushAsync(app, query, body); // WeChat pushes again when unsure

        await forged.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Null(unchanged.OrderCenter?.ReceiptConfirmedAt);
        Assert.Equal(("success", "success"), (await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync()));
        var stored = await app.Host.Services.GetRequiredService<OrderTable>().FindAsync(orderId, CancellationToken.None);
        Assert.Equal(confirmed.ToUnixTimeSeconds(), stored!.Order.OrderCenter!.ReceiptConfirmedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(settled.ToUnixTimeSeconds(), stored.Order.OrderCenter.SettledAt!.Value.ToUnixTimeSeconds());
        Assert.Single(stored.Outbox, e => e.Type == OrderEventTypes.ReceiptConfirmed);
        Assert.Single(stored.Outbox, e => e.Type == OrderEventTypes.Settled);
    }

    [Fact]
    public async Task A_reminder_asks_for_an_upload_at_once_and_a_replayed_or_swapped_push_is_refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true); // no queue listener: the upload requests stay to be counted
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);
        var sandbox = OrderCenterUploads.Sandbox(app);
        var remind = new
        {
            ToUserName = "gh_sandbox", MsgType = "event", Event = "trade_manage_remind_shipping", merchant_id = TestApp.MchId,
            merchant_trade_no = orderId
        };
        var (staleQuery, staleBody) = sandbox.SignPush(remind, safeMode: true, clock.GetUtcNow() - TimeSpan.FromMinutes(6));
        var (query, body) = sandbox.SignPush(remind, safeMode: true, clock.GetUtcNow());
        var (_, otherBody) = sandbox.SignPush(remind with { merchant_trade_no = "someone-else" }, safeMode: true, clock.GetUtcNow());

        var stale = await PushAsync(app, staleQuery, staleBody);
        var swapped = await PushAsync(app, query, otherBody); // the query's signature holds; its msg_signature is not the body's
        var untouched = await OrderAsync(app, orderId);
        var fresh = await PushAsync(app, query, body);

        await stale.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await swapped.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Null(untouched.OrderCenter?.RemindedAt);
        Assert.Equal("success", await fresh.Content.ReadAsStringAsync());
        Assert.NotNull((await OrderAsync(app, orderId)).OrderCenter?.RemindedAt);
        var asked = (await app.Queues.GetQueueClient(StorageNames.ShippingUploadsQueue).PeekMessagesAsync(32)).Value;
        Assert.Equal(2, asked.Count(m => TracedMessage.IdOf(m.Body.ToString()) == orderId)); // the hand-over's request, and the reminder's
    }

    [Fact]
    public async Task The_push_url_check_answers_the_echostr_only_when_signed()
    {
        var app = await TestApp.Shared;
        var (query, _) = OrderCenterUploads.Sandbox(app).SignPush(new { }, safeMode: false, DateTimeOffset.UtcNow);

        var ours = await app.Http.GetAsync($"wechat/message-push?{query}&echostr=hello-wechat");
        var theirs = await app.Http.GetAsync("wechat/message-push?signature=0000000000000000000000000000000000000000&timestamp=1&nonce=x&echostr=hello");

        Assert.Equal("hello-wechat", await ours.Content.ReadAsStringAsync());
        await theirs.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static Task<HttpResponseMessage> PushAsync(TestApp app, string query, string body) =>
        app.Http.PostAsync($"wechat/message-push?{query}", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<Order> OrderAsync(TestApp app, string orderId) =>
        (await app.Host.Services.GetRequiredService<OrderTable>().FindAsync(orderId, CancellationToken.None))!.Order;

    private static async Task<Order> EventuallyRecordedAsync(TestApp app, string orderId)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (await OrderAsync(app, orderId) is { OrderCenter.UploadedAt: not null } order) return order;
            await Task.Delay(100);
        }
        throw new TimeoutException($"order {orderId}'s upload was not recorded in 10 s");
    }
}
