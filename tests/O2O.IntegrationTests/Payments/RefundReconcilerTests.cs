using Microsoft.Extensions.Time.Testing;
using O2O.Application.Operations;
using O2O.Application.Payments;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.Payments;

/// <summary>
/// No refund stalls silently. Each test has a host of its own (HTTP functions only, its own
/// storage and WeChat Pay sandbox, a clock it moves): it runs the queue's work itself, so what
/// a lost message or a lost notification leaves behind is exactly what the reconciler finds.
/// </summary>
public sealed class RefundReconcilerTests
{
    [Fact]
    public async Task A_refund_decided_but_never_requested_is_requested_by_the_reconciler_and_paid_back()
    {
        await using var shop = await PaidOrderAsync();
        // Cancelled and refunded by a change whose instance died before queueing the refund request.
        await shop.Changes.ApplyAsync(shop.OrderId, o => o.Cancel(shop.Clock.GetUtcNow(), "consumer", "changed my mind"), CancellationToken.None);

        var tooEarly = await shop.Reconciler.RunAsync(CancellationToken.None);
        shop.Clock.Advance(RefundReconciler.Grace);
        var due = await shop.Reconciler.RunAsync(CancellationToken.None);
        var requests = (await shop.App.Queues.GetQueueClient(StorageNames.RefundRequestsQueue).PeekMessagesAsync(32)).Value;
        await shop.Refunds.ExecuteAsync(RefundIds.For(shop.OrderId), CancellationToken.None); // the ExecuteRefund function's work
        var refunded = await shop.EventuallyRefundAsync("Succeeded");
        var soon = await shop.Reconciler.RunAsync(CancellationToken.None);
        shop.Clock.Advance(RefundReconciler.RecheckAfter);
        var after = await shop.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal(new RefundReconciler.Sweep(0, 0, 0), tooEarly);
        Assert.Equal(new RefundReconciler.Sweep(1, 0, 0), due);
        Assert.Single(requests, m => TracedMessage.IdOf(m.Body.ToString()) == RefundIds.For(shop.OrderId));
        Assert.Equal(refunded.GetProperty("totalFen").GetInt64(), shop.Sandbox.Refunds[RefundIds.For(shop.OrderId)].Amount);
        Assert.Equal(new RefundReconciler.Sweep(0, 0, 0), soon); // not looked at again before its time
        Assert.Equal(new RefundReconciler.Sweep(0, 0, 1), after); // settled: taken off the list
        Assert.Empty(await shop.OpenRefundsAsync());
    }

    [Fact]
    public async Task A_listed_refund_whose_deciding_write_failed_is_taken_off_the_list()
    {
        await using var shop = await PaidOrderAsync();
        // Listed before the order transaction, which then failed: the order has no refund.
        await shop.App.Host.Services.GetRequiredService<RefundTable>().OpenAsync(RefundIds.For(shop.OrderId), shop.Clock.GetUtcNow(), CancellationToken.None);

        shop.Clock.Advance(RefundReconciler.Grace);
        var sweep = await shop.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal(new RefundReconciler.Sweep(0, 0, 1), sweep);
        Assert.Empty(await shop.OpenRefundsAsync());
        Assert.Empty(shop.Sandbox.Refunds);
    }

    [Fact]
    public async Task A_processing_refund_whose_notification_never_comes_is_looked_up_and_settled()
    {
        await using var shop = await PaidOrderAsync();
        shop.Sandbox.SetRefundOutcome(WeChatPaySandbox.RefundOutcome.SuccessUnnotified);
        await (await shop.Consumer.PostAsync($"orders/{shop.OrderId}/cancel", null)).ReadOkAsync();
        await shop.Refunds.ExecuteAsync(RefundIds.For(shop.OrderId), CancellationToken.None);
        var processing = await shop.EventuallyRefundAsync("Processing");

        shop.Clock.Advance(RefundReconciler.Grace);
        var sweep = await shop.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal("Processing", processing.GetProperty("refund").GetProperty("status").GetString());
        Assert.Equal(new RefundReconciler.Sweep(0, 1, 0), sweep);
        await shop.EventuallyRefundAsync("Succeeded");
        shop.Clock.Advance(RefundReconciler.RecheckAfter);
        Assert.Equal(new RefundReconciler.Sweep(0, 0, 1), await shop.Reconciler.RunAsync(CancellationToken.None));
        Assert.Empty(await shop.OpenRefundsAsync());
    }

    [Fact]
    public async Task An_abnormal_refund_raises_one_alert_stays_open_and_is_listed_by_the_consistency_checker_after_an_hour()
    {
        await using var shop = await PaidOrderAsync();
        shop.Sandbox.SetRefundOutcome(WeChatPaySandbox.RefundOutcome.Abnormal);
        await (await shop.Consumer.PostAsync($"orders/{shop.OrderId}/cancel", null)).ReadOkAsync();
        await shop.Refunds.ExecuteAsync(RefundIds.For(shop.OrderId), CancellationToken.None);
        await shop.EventuallyRefundAsync("Abnormal");
        var checker = shop.App.Host.Services.GetRequiredService<ConsistencyChecker>();

        shop.Clock.Advance(RefundReconciler.Grace);
        var sweep = await shop.Reconciler.RunAsync(CancellationToken.None);
        var withinTheHour = await checker.CheckStoreAsync(shop.Store, CancellationToken.None);
        shop.Clock.Advance(ConsistencyChecker.RefundStuckAfter);
        var afterTheHour = await checker.CheckAsync(CancellationToken.None);

        Assert.Equal(new RefundReconciler.Sweep(0, 1, 0), sweep); // asked again: still ABNORMAL
        Assert.DoesNotContain(withinTheHour, f => f.Kind == "refund_stuck");
        var stuck = Assert.Single(afterTheHour, f => f.Kind == "refund_stuck");
        Assert.Equal((shop.Store, shop.OrderId), (stuck.StoreId, stuck.Subject));
        var stored = await shop.App.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(shop.OrderId)!,
            shop.OrderId, CancellationToken.None);
        var alert = Assert.Single(stored!.Outbox, e => e.Type == OrderEventTypes.RefundFailed);
        Assert.Contains("\"status\":\"Abnormal\"", alert.DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_cancelled_unpaid_has_its_wechat_pay_order_closed_so_the_payer_cannot_pay_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync(); // the prepay: the payer could pay now
        await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();

        var checks = (await app.Queues.GetQueueClient(StorageNames.PaymentChecksQueue).ReceiveMessagesAsync(32)).Value;
        foreach (var check in checks)
            await app.Host.Services.GetRequiredService<PaymentService>().CheckAsync(TracedMessage.IdOf(check.Body.ToString()), CancellationToken.None);
        var payerTries = await app.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}", null);

        Assert.Contains(checks, m => TracedMessage.IdOf(m.Body.ToString()) == orderId);
        Assert.Equal(HttpStatusCode.Conflict, payerTries.StatusCode);
        Assert.Equal("CLOSED", app.Host.Services.GetRequiredService<WeChatPaySandbox>().Transaction(orderId)!["trade_state"]!.GetValue<string>());
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
    }

    private static async Task<Shop> PaidOrderAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        await consumer.PayAsync(app, orderId);
        return new Shop(app, clock, consumer, store, orderId);
    }

    private sealed record Shop(TestApp App, FakeTimeProvider Clock, HttpClient Consumer, string Store, string OrderId) : IAsyncDisposable
    {
        public OrderChanges Changes => App.Host.Services.GetRequiredService<OrderChanges>();
        public RefundService Refunds => App.Host.Services.GetRequiredService<RefundService>();
        public RefundReconciler Reconciler => App.Host.Services.GetRequiredService<RefundReconciler>();
        public WeChatPaySandbox Sandbox => App.Host.Services.GetRequiredService<WeChatPaySandbox>();

        public async Task<IReadOnlyList<string>> OpenRefundsAsync() =>
            (await App.Host.Services.GetRequiredService<RefundTable>().ListAsync(CancellationToken.None)).Select(r => r.RowKey).ToList();

        /// <summary>Waits for the order's refund to reach <paramref name="status"/> (a notification comes in the background).</summary>
        public async Task<System.Text.Json.JsonElement> EventuallyRefundAsync(string status)
        {
            for (var i = 0; i < 100; i++)
            {
                var order = await (await Consumer.GetAsync($"orders/{OrderId}")).ReadOkAsync();
                if (order.TryGetProperty("refund", out var refund) && refund.ValueKind == System.Text.Json.JsonValueKind.Object
                    && refund.GetProperty("status").GetString() == status) return order;
                await Task.Delay(100);
            }
            Assert.Fail($"the refund of order {OrderId} never became {status}");
            return default;
        }

        public async ValueTask DisposeAsync()
        {
            Consumer.Dispose();
            await App.DisposeAsync();
        }
    }
}
