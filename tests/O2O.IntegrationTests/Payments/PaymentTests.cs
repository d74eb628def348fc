using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Payments;

namespace O2O.IntegrationTests.Payments;

/// <summary>Payments through the local host and its WeChat Pay sandbox, signatures and encryption included.</summary>
public sealed class PaymentTests
{
    [Fact]
    public async Task Paying_an_order_answers_signed_payment_parameters_and_the_notification_marks_it_paid()
    {
        var (world, consumer, orderId) = await PlacedOrderAsync();

        var pay = await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync();
        var again = await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync();
        await (await world.App.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}", null)).ReadOkAsync();
        var paid = await EventuallyAsync(consumer, orderId, o => o.GetProperty("status").GetString() == "Paid");

        Assert.Equal("RSA", pay.GetProperty("signType").GetString());
        Assert.StartsWith("prepay_id=wx", pay.GetProperty("package").GetString());
        Assert.Equal(pay.GetProperty("package").GetString(), again.GetProperty("package").GetString());
        Assert.True(MerchantPublicKey(world.App).VerifyData(Encoding.UTF8.GetBytes(
                $"{TestApp.WeChatAppId}\n{pay.GetProperty("timeStamp").GetString()}\n{pay.GetProperty("nonceStr").GetString()}\n"
                + $"{pay.GetProperty("package").GetString()}\n"),
            Convert.FromBase64String(pay.GetProperty("paySign").GetString()!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal("Paid", paid.GetProperty("payment").GetProperty("status").GetString());
        Assert.StartsWith("4200", paid.GetProperty("payment").GetProperty("transactionId").GetString());
        Assert.Equal("wechatpay", paid.GetProperty("timeline")[1].GetProperty("by").GetString());
        await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
    }

    [Fact]
    public async Task The_same_notification_ten_times_at_once_makes_one_transition_and_one_event()
    {
        var (world, consumer, orderId) = await PrepaidOrderAsync();
        var transaction = await CompleteWithoutNotificationAsync(world.App, orderId);
        var (body, headers) = Sandbox(world.App).SignedNotification("TRANSACTION.SUCCESS", "transaction", transaction, DateTimeOffset.UtcNow);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostNotificationAsync(world.App, body, headers)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a));
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal(["PendingPayment", "Paid"], order.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        var stored = await world.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(O2O.Domain.Orders.OrderIds.ConsumerKeyOf(orderId)!,
            orderId, CancellationToken.None);
        Assert.Single(stored!.Outbox, e => e.Type == "o2o.order.paid");
    }

    public static TheoryData<string> Forgeries() => ["signature", "timestamp", "amount", "mchid", "appid", "currency", "unknown order", "serial"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_replayed_or_mismatched_notification_never_marks_the_order_paid(string forgery)
    {
        var (world, consumer, orderId) = await PrepaidOrderAsync();
        var transaction = await CompleteWithoutNotificationAsync(world.App, orderId);
        var signedAt = DateTimeOffset.UtcNow;
        switch (forgery)
        {
            case "amount": transaction["amount"]!["total"] = transaction["amount"]!["total"]!.GetValue<long>() + 1; break;
            case "mchid": transaction["mchid"] = "1900000999"; break;
            case "appid": transaction["appid"] = "wx-someone-else"; break;
            case "currency": transaction["amount"]!["currency"] = "USD"; break;
            case "unknown order":
                transaction["out_trade_no"] = O2O.Domain.Orders.OrderIds.ForRequest(O2O.Domain.Orders.OrderIds.ConsumerKey("nobody"),
                "k"); break;
            case "timestamp": signedAt = signedAt.AddMinutes(-6); break;
        }
        var (body, headers) = Sandbox(world.App).SignedNotification("TRANSACTION.SUCCESS", "transaction", transaction, signedAt);
        var sent = headers.ToList();
        if (forgery == "signature") sent[^1] = ("Wechatpay-Signature", Convert.ToBase64String(RandomNumberGenerator.GetBytes(256)));
        if (forgery == "serial") sent[2] = ("Wechatpay-Serial", "PUB_KEY_ID_0000000000000000000000000000");

        using var response = await SendNotificationAsync(world.App, body, sent);

        Assert.InRange((int)response.StatusCode, 400, 499);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("FAIL", answer.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("message").GetString()));
        Assert.Equal("PendingPayment", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_mismatched_payment_is_raised_once_as_an_alert_event()
    {
        var (world, _, orderId) = await PrepaidOrderAsync();
        var transaction = await CompleteWithoutNotificationAsync(world.App, orderId);
        transaction["amount"]!["total"] = 1;
        var (body, headers) = Sandbox(world.App).SignedNotification("TRANSACTION.SUCCESS", "transaction", transaction, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.BadRequest, await PostNotificationAsync(world.App, body, headers));
        Assert.Equal(HttpStatusCode.BadRequest, await PostNotificationAsync(world.App, body, headers));

        var stored = await world.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(O2O.Domain.Orders.OrderIds.ConsumerKeyOf(orderId)!,
            orderId, CancellationToken.None);
        Assert.Single(stored!.Outbox, e => e.Type == "o2o.payment.rejected");
    }

    [Fact]
    public async Task A_lost_notification_is_reconciled_to_paid_by_asking_wechat_pay()
    {
        var (world, consumer, orderId) = await PrepaidOrderAsync();
        await CompleteWithoutNotificationAsync(world.App, orderId);
        Assert.Equal("PendingPayment", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());

        // What the payment-checks queue function does a few minutes after the prepay.
        var paid = await world.App.Host.Services.GetRequiredService<PaymentService>().ReconcileAsync(orderId, CancellationToken.None);

        Assert.True(paid);
        Assert.Equal("Paid", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task At_the_deadline_a_paid_but_unnotified_order_is_marked_paid_not_cancelled()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync();
        await (await app.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}?notify=false", null)).ReadOkAsync();
        var sweeper = app.Host.Services.GetRequiredService<ReservationSweeper>();

        clock.Advance(TimeSpan.FromMinutes(16));
        await sweeper.SweepStoreAsync(store, CancellationToken.None); // confirms the reservation
        var swept = await sweeper.SweepStoreAsync(store, CancellationToken.None);

        Assert.Equal(0, swept.Cancelled);
        Assert.Equal("Paid", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_payment_that_arrives_after_the_order_was_cancelled_is_refunded_in_full()
    {
        var (world, consumer, orderId) = await PrepaidOrderAsync();
        await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();

        await (await world.App.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}", null)).ReadOkAsync();
        var refunded = await EventuallyAsync(consumer, orderId,
            o => o.TryGetProperty("refund", out var r) && r.GetProperty("status").GetString() == "Succeeded");

        Assert.Equal("Cancelled", refunded.GetProperty("status").GetString());
        Assert.Equal(refunded.GetProperty("totalFen").GetInt64(), refunded.GetProperty("refund").GetProperty("amountFen").GetInt64());
        await EventuallyEventAsync(world.App, orderId, "o2o.refund.succeeded");
    }

    [Fact]
    public async Task Cancelling_a_paid_order_refunds_it_and_returns_its_stock()
    {
        var (world, consumer, orderId) = await PrepaidOrderAsync();
        await (await world.App.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}", null)).ReadOkAsync();
        await EventuallyAsync(consumer, orderId, o => o.GetProperty("status").GetString() == "Paid");

        var cancelled = await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();
        var refunded = await EventuallyAsync(consumer, orderId, o => o.GetProperty("refund").GetProperty("status").GetString() == "Succeeded");

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("Pending", cancelled.GetProperty("refund").GetProperty("status").GetString());
        Assert.Equal("Succeeded", refunded.GetProperty("refund").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_the_owner_can_pay_and_only_while_it_awaits_payment()
    {
        var (world, consumer, orderId) = await PlacedOrderAsync();
        using var stranger = await world.App.NewConsumerAsync();

        await (await stranger.PostAsync($"orders/{orderId}/pay", null)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();
        await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
    }

    private static async Task<(StoreWorld World, HttpClient Consumer, string OrderId)> PlacedOrderAsync()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync(priceFen: 1800);
        var store = await world.StoreAsync(0, stock: [(tea, 10)]);
        var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        return (world, consumer, orderId);
    }

    private static async Task<(StoreWorld World, HttpClient Consumer, string OrderId)> PrepaidOrderAsync()
    {
        var placed = await PlacedOrderAsync();
        await (await placed.Consumer.PostAsync($"orders/{placed.OrderId}/pay", null)).ReadOkAsync();
        return placed;
    }

    private static async Task<JsonObject> CompleteWithoutNotificationAsync(TestApp app, string orderId)
    {
        await (await app.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}?notify=false", null)).ReadOkAsync();
        return Sandbox(app).Transaction(orderId)!;
    }

    private static WeChatPaySandbox Sandbox(TestApp app) => app.Host.Services.GetRequiredService<WeChatPaySandbox>();

    private static RSA MerchantPublicKey(TestApp app)
    {
        var key = RSA.Create();
        key.ImportFromPem(app.Host.Services.GetRequiredService<IConfiguration>()["WeChatPay:MerchantPrivateKeyPem"]);
        return key;
    }

    private static async Task<HttpStatusCode> PostNotificationAsync(TestApp app, string body, IEnumerable<(string Name, string Value)> headers)
    {
        using var response = await SendNotificationAsync(app, body, headers);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendNotificationAsync(TestApp app, string body, IEnumerable<(string Name, string Value)> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            "payments/wechat/notify")
        { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return app.Http.SendAsync(request);
    }

    private static async Task<JsonElement> EventuallyAsync(HttpClient consumer, string orderId, Func<JsonElement, bool> condition)
    {
        JsonElement order = default;
        for (var i = 0; i < 200; i++)
        {
            order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
            if (condition(order)) return order;
            await Task.Delay(100);
        }
        Assert.Fail($"order {orderId} never got there: {order}");
        return order;
    }

    private static async Task EventuallyEventAsync(TestApp app, string orderId, string type)
    {
        var table = app.Host.Services.GetRequiredService<OrderTable>();
        for (var i = 0; i < 200; i++)
        {
            var stored = await table.GetAsync(O2O.Domain.Orders.OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None);
            if (stored!.Outbox.Any(e => e.Type == type)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"order {orderId} raised no {type}");
    }
}
