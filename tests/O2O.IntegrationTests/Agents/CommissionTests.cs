using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Agents;
using O2O.Application.Storage;
using O2O.Domain.Agents;
using O2O.IntegrationTests.AfterSales;

namespace O2O.IntegrationTests.Agents;

public sealed class CommissionTests
{
    [Fact]
    public async Task Ten_payment_notifications_at_once_earn_the_agent_commission_once()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var (agent, buyer) = await AgentAndBuyerAsync(app);
        var orderId = await buyer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 3)));
        await (await buyer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync();
        await (await app.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}?notify=false", null)).ReadOkAsync();
        var sandbox = app.Host.Services.GetRequiredService<WeChatPaySandbox>();
        var (body, headers) = sandbox.SignedNotification("TRANSACTION.SUCCESS", "transaction", sandbox.Transaction(orderId)!, DateTimeOffset.UtcNow);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post,
                "payments/wechat/notify")
            { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            using var response = await app.Http.SendAsync(request);
            return response.StatusCode;
        }));
        var account = await EventuallyAsync(agent, a => a.GetProperty("balance").GetProperty("pendingFen").GetInt64() > 0);
        var sync = app.Host.Services.GetRequiredService<CommissionSync>();
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sync.SyncAsync(orderId, CancellationToken.None)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a));
        Assert.Equal(270, account.GetProperty("balance").GetProperty("pendingFen").GetInt64()); // 5 % of 5,400 fen
        Assert.All(again, changed => Assert.Equal(0, changed));
        var entries = (await (await agent.GetAsync("agents/me")).ReadOkAsync()).GetProperty("entries");
        Assert.Equal(270, Assert.Single(entries.EnumerateArray(), e => e.GetProperty("orderId").GetString() == orderId).GetProperty("amountFen").GetInt64());
        var earned = Assert.Single(PublishedEvents.All(app),
            e => e.GetProperty("type").GetString() == "o2o.commission.earned" && e.GetProperty("subject").GetString() == $"orders/{orderId}");
        Assert.Equal(270, earned.GetProperty("data").GetProperty("amountFen").GetInt64());
    }

    [Fact]
    public async Task Eight_syncs_of_the_same_entries_at_once_write_them_once_and_publish_their_event_once()
    {
        var app = await TestApp.Shared;
        var ledger = app.Host.Services.GetRequiredService<CommissionLedger>();
        var agentId = "A-" + Guid.NewGuid().ToString("N")[..12];
        var orderId = "o-" + Guid.NewGuid().ToString("N")[..12];
        CommissionEntry[] wanted = [new(agentId, orderId, 0, 1, null, "SKU-1", 90, CommissionState.Pending),
            new(agentId, orderId, 1, 1, null, "SKU-2", 45, CommissionState.Pending)];

        var changed = await Task.WhenAll(Enumerable.Range(0,
            8).Select(_ => Task.Run(() => ledger.SyncAsync(agentId, orderId, wanted, CancellationToken.None))));

        Assert.Equal(2, changed.Sum());
        Assert.Equal(135, (await ledger.BalanceAsync(agentId, CancellationToken.None)).PendingFen);
        var earned = Assert.Single(PublishedEvents.All(app),
            e => e.GetProperty("type").GetString() == "o2o.commission.earned" && e.GetProperty("subject").GetString() == $"orders/{orderId}");
        Assert.Equal(135, earned.GetProperty("data").GetProperty("amountFen").GetInt64());
    }

    [Fact]
    public async Task Commission_moves_from_pending_to_locked_to_available_and_each_refund_takes_back_its_share_to_the_fen()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync(priceFen: 1999);
        var store = await world.StoreAsync(0, stock: [(tea, 10)]);
        var (_, buyer, agentId, buyerOpenId) = await AgentAndBuyerWithIdsAsync(app);
        using var clerk = await world.ClerkAsync(store);
        var sync = app.Host.Services.GetRequiredService<CommissionSync>();
        var ledger = app.Host.Services.GetRequiredService<CommissionLedger>();

        var orderId = await buyer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 3)));
        await buyer.PayAsync(app, orderId);
        await sync.SyncAsync(orderId, CancellationToken.None);
        var paid = await ledger.BalanceAsync(agentId, CancellationToken.None);
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        var code = (await (await buyer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString();
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();
        await sync.SyncAsync(orderId, CancellationToken.None);
        var handedOver = await ledger.BalanceAsync(agentId, CancellationToken.None);
        var first = await buyer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, first.Id(), "approve")).ReadOkAsync();
        await sync.SyncAsync(orderId, CancellationToken.None);
        var afterFirstRefund = await ledger.BalanceAsync(agentId, CancellationToken.None);

        var dueAt = (await app.FindAsync(StorageNames.CommissionDueTable, orderId))?.DueAt;
        clock.Advance(TimeSpan.FromDays(7));
        await sync.SettleAsync(CancellationToken.None);
        var settled = await ledger.BalanceAsync(agentId, CancellationToken.None);
        var stillDue = await app.FindAsync(StorageNames.CommissionDueTable, orderId);
        using var later = await app.NewConsumerAsync(buyerOpenId); // a week later: the old session has expired
        var second = await later.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, second.Id(), "approve")).ReadOkAsync();
        await sync.SyncAsync(orderId, CancellationToken.None);
        var afterSecondRefund = await ledger.BalanceAsync(agentId, CancellationToken.None);

        Assert.Equal(new AgentBalance(299, 0, 0, 0), paid); // 5 % of 5,997 fen, rounded down
        Assert.Equal(new AgentBalance(0, 299, 0, 0), handedOver);
        Assert.Equal(new AgentBalance(0, 199, 0, 0), afterFirstRefund); // 5 % of the 3,998 fen kept
        Assert.Equal(new AgentBalance(0, 0, 199, 0), settled);
        Assert.NotNull(dueAt); // marked when it was handed over
        Assert.Null(stillDue); // settled: nothing left to wait for
        Assert.Equal(new AgentBalance(0, 0, 99, 0), afterSecondRefund); // 5 % of the 1,999 fen kept: taken back after it became available
        var csv = await (await app.Admin.GetAsync($"admin/agents/{agentId}/ledger?format=csv")).Content.ReadAsStringAsync();
        Assert.Equal(4, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // the header, what was earned, two refunds
        Assert.Contains($",{orderId},0,1,{tea},{first.Id()},-100,Available,", csv, StringComparison.Ordinal);
        // Pages are bounded, and a token this API did not issue is a clear 400, never a 500.
        var paged = await (await app.Admin.GetAsync($"admin/agents/{agentId}/ledger?pageSize=2")).ReadOkAsync();
        Assert.Equal(2, paged.GetProperty("entries").GetArrayLength());
        var rest = await (await app.Admin.GetAsync($"admin/agents/{agentId}/ledger?pageSize=200&continuationToken="
            + Uri.EscapeDataString(paged.GetProperty("continuationToken").GetString()!))).ReadOkAsync();
        Assert.Equal(1, rest.GetProperty("entries").GetArrayLength());
        foreach (var bad in new[] { "pageSize=0", "pageSize=201", "continuationToken=not-a-token" })
            await (await app.Admin.GetAsync($"admin/agents/{agentId}/ledger?{bad}")).ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(
            [("o2o.commission.earned", 299), ("o2o.commission.locked", 299), ("o2o.commission.reversed", -100),
                ("o2o.commission.available", 199), ("o2o.commission.reversed", -100)],
            PublishedEvents.All(app).Where(e =>
                e.GetProperty("subject").GetString() == $"orders/{orderId}" && e.GetProperty("type").GetString()!.StartsWith("o2o.commission.",
                StringComparison.Ordinal))
                .Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("data").GetProperty("amountFen").GetInt64())));
    }

    private static async Task<(HttpClient Agent, HttpClient Buyer)> AgentAndBuyerAsync(TestApp app)
    {
        var (agent, buyer, _, _) = await AgentAndBuyerWithIdsAsync(app);
        return (agent, buyer);
    }

    /// <summary>An active agent signed in, and a buyer who opened the mini-program through the agent's share.</summary>
    private static async Task<(HttpClient Agent, HttpClient Buyer, string AgentId, string BuyerOpenId)> AgentAndBuyerWithIdsAsync(TestApp app)
    {
        var (agentId, agentOpenId, buyerOpenId) = (TestApp.UniqueId("A"), "o-" + Guid.NewGuid().ToString("N"), "o-" + Guid.NewGuid().ToString("N"));
        await (await app.Admin.PutJsonAsync($"admin/agents/{agentId}", new { openId = agentOpenId, name = "Xiao Li", active = true })).ReadOkAsync();
        var agent = await app.NewConsumerAsync(agentOpenId);
        var code = (await (await agent.PostAsJsonAsync("agents/me/share-codes", new { })).ReadOkAsync(HttpStatusCode.Created)).GetProperty("code").GetString();
        var session = await (await app.Http.PostAsJsonAsync("auth/wechat-login", new { code = "dev:" + buyerOpenId, shareCode = code })).ReadOkAsync();
        var buyer = new HttpClient { BaseAddress = app.Http.BaseAddress };
        buyer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return (agent, buyer, agentId, buyerOpenId);
    }

    private static async Task<JsonElement> EventuallyAsync(HttpClient agent, Func<JsonElement, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            var account = await (await agent.GetAsync("agents/me")).ReadOkAsync();
            if (done(account)) return account;
            await Task.Delay(100);
        }
        Assert.Fail("the agent's ledger never changed");
        return default;
    }
}
