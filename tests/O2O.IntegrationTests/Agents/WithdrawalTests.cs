using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Agents;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Agents;
using O2O.IntegrationTests.AfterSales;

namespace O2O.IntegrationTests.Agents;

/// <summary>Withdrawals by WeChat Pay's merchant transfer, on a clock the test moves (commission becomes available after a week).</summary>
public sealed class WithdrawalTests
{
    [Fact]
    public async Task A_refund_after_a_withdrawal_takes_the_balance_below_zero_and_the_next_withdrawal_is_refused()
    {
        await using var shop = await ShopAsync();
        var (orderId, agent) = await shop.AvailableCommissionAsync(); // 299 fen available

        var withdrawn = await (await shop.WithdrawAsync(agent, 299, "w-1")).ReadOkAsync(HttpStatusCode.Created);
        var id = withdrawn.GetProperty("withdrawalId").GetString()!;
        await (await shop.App.Http.PostAsync($"/sandbox/wechatpay/transfer/{id}/confirm", null)).ReadOkAsync(); // the agent confirms in the mini-program
        var succeeded = await shop.EventuallyAsync(agent, 299, "w-1", "Succeeded");
        await PublishedEvents.WaitForAsync(shop.App, $"{id}.succeeded");
        using var buyer = await shop.App.NewConsumerAsync(shop.BuyerOpenId);
        var refund = await buyer.OpenCaseAsync(orderId, AfterSalesClient.Refund((shop.Tea, 1)));
        await (await shop.Clerk.AnswerAsync(shop.Store, refund.Id(), "approve")).ReadOkAsync();
        await shop.Sync.SyncAsync(orderId, CancellationToken.None);
        var refused = await shop.WithdrawAsync(agent, 10, "w-2");

        Assert.Equal("Processing", withdrawn.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(withdrawn.GetProperty("packageInfo").GetString()));
        Assert.Equal(id, succeeded.GetProperty("withdrawalId").GetString());
        Assert.Equal(new AgentBalance(0, 0, 199, 299), await shop.Ledger.BalanceAsync(shop.AgentId, CancellationToken.None));
        Assert.Contains("-100 fen", (await refused.ReadProblemAsync(HttpStatusCode.Conflict, "conflict")).GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        Assert.Equal((299L, "SUCCESS"), shop.WeChatPay.Transfers[id]);
        Assert.Equal(["requested 299 Reserved", "succeeded 299 Succeeded"], shop.WithdrawalEvents(id)); // once each, however often the request was repeated
    }

    [Fact]
    public async Task A_transfer_asked_for_again_after_a_crash_and_a_repeated_request_name_one_out_bill_no()
    {
        await using var shop = await ShopAsync();
        var (_, agent) = await shop.AvailableCommissionAsync();
        // The request that reserved the amount died before asking WeChat Pay.
        var id = Withdrawal.IdFor(shop.AgentId, "w-1");
        var (reserved, _) = await shop.Ledger.ReserveAsync(new Withdrawal(id, shop.AgentId, 200,
            shop.AgentOpenId, "h", shop.Clock.GetUtcNow(), WithdrawalState.Reserved), CancellationToken.None);
        await shop.App.Host.Services.GetRequiredService<O2O.Application.Storage.WithdrawalDueTable>().MarkAsync(id,
            shop.Clock.GetUtcNow(), CancellationToken.None, owner: shop.AgentId);
        var withdrawals = shop.App.Host.Services.GetRequiredService<WithdrawalService>();

        var reconciled = await withdrawals.ReconcileAsync(CancellationToken.None);
        shop.Clock.Advance(WithdrawalService.CheckAfter);
        await withdrawals.ReconcileAsync(CancellationToken.None); // looks the bill up: asks for nothing new
        var first = await (await shop.WithdrawAsync(agent, 50, "x-1")).ReadOkAsync(HttpStatusCode.Created);
        var repeated = await (await shop.WithdrawAsync(agent, 50, "x-1")).ReadOkAsync();
        var reused = await shop.WithdrawAsync(agent, 60, "x-1");

        Assert.Equal(WithdrawalState.Reserved, reserved!.State);
        Assert.Equal(0, reconciled); // asked for, not settled
        Assert.Equal(1, shop.WeChatPay.TransferRequests[id]);
        Assert.Equal((200L, "WAIT_USER_CONFIRM"), shop.WeChatPay.Transfers[id]);
        var second = first.GetProperty("withdrawalId").GetString()!;
        Assert.Equal(second, repeated.GetProperty("withdrawalId").GetString());
        Assert.Equal(1, shop.WeChatPay.TransferRequests[second]); // the repeat answered what it had: no second request
        await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(new AgentBalance(0, 0, 299, 250), await shop.Ledger.BalanceAsync(shop.AgentId, CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_transfer_gives_the_amount_back_and_bad_requests_are_refused()
    {
        await using var shop = await ShopAsync();
        var (_, agent) = await shop.AvailableCommissionAsync();
        using var stranger = await shop.App.NewConsumerAsync();
        shop.WeChatPay.SetTransfersFail(true);

        var withdrawn = await (await shop.WithdrawAsync(agent, 100, "w-1")).ReadOkAsync(HttpStatusCode.Created);
        await (await shop.App.Http.PostAsync($"/sandbox/wechatpay/transfer/{withdrawn.GetProperty("withdrawalId").GetString()}/confirm", null)).ReadOkAsync();
        await shop.EventuallyAsync(agent, 100, "w-1", "Failed");
        var id = withdrawn.GetProperty("withdrawalId").GetString()!;
        await PublishedEvents.WaitForAsync(shop.App, $"{id}.failed");
        var tooSmall = await shop.WithdrawAsync(agent, 9, "w-2");
        var noRealName = await shop.WithdrawAsync(agent, 200_000, "w-3");
        var notAnAgent = await shop.WithdrawAsync(stranger, 100, "w-4");

        Assert.Equal(new AgentBalance(0, 0, 299, 0), await shop.Ledger.BalanceAsync(shop.AgentId, CancellationToken.None));
        Assert.True((await tooSmall.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("amountFen", out _));
        Assert.True((await noRealName.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("userName",
            out _));
        await notAnAgent.ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(["requested 100 Reserved", "failed 100 Failed"], shop.WithdrawalEvents(id));
    }

    [Fact]
    public async Task A_settled_withdrawal_whose_event_the_topic_refused_is_published_by_the_reconciler_before_it_leaves_the_list()
    {
        await using var shop = await ShopAsync();
        var (_, agent) = await shop.AvailableCommissionAsync();
        var id = (await (await shop.WithdrawAsync(agent, 100, "w-1")).ReadOkAsync(HttpStatusCode.Created)).GetProperty("withdrawalId").GetString()!;
        var services = shop.App.Host.Services;
        // WeChat Pay's answer is recorded by an instance whose topic refuses it (a wrong key): the state is written, its event is not sent.
        var refusing = new DomainEventPublisher(Options.Create(new EventGridSettings
        {
            TopicEndpoint = services.GetRequiredService<IOptions<EventGridSettings>>().Value.TopicEndpoint, TopicKey = "wrong",
        }));
        var cutOff = ActivatorUtilities.CreateInstance<CommissionLedger>(services, refusing);
        var refused = await Record.ExceptionAsync(() => cutOff.RecordTransferAsync(shop.AgentId,
            id, WithdrawalState.Succeeded, "bill-1", null, CancellationToken.None));
        var beforeReconciling = shop.WithdrawalEvents(id);

        shop.Clock.Advance(WithdrawalService.CheckAfter);
        await services.GetRequiredService<WithdrawalService>().ReconcileAsync(CancellationToken.None);

        Assert.NotNull(refused);
        Assert.Equal(["requested 100 Reserved"], beforeReconciling);
        Assert.Equal(["requested 100 Reserved", "succeeded 100 Succeeded"], shop.WithdrawalEvents(id));
        Assert.Null(await shop.App.FindAsync(StorageNames.WithdrawalsDueTable, id));
    }

    [Fact]
    public async Task From_two_thousand_yuan_WeChat_Pay_takes_a_transfer_only_with_the_real_name_encrypted_for_it()
    {
        var app = await TestApp.Shared;
        var weChatPay = app.Host.Services.GetRequiredService<O2O.Application.Payments.WeChatPay.WeChatPayClient>();
        var (named, unnamed) = (Withdrawal.IdFor("A-real-name", Guid.NewGuid().ToString()), Withdrawal.IdFor("A-real-name", Guid.NewGuid().ToString()));

        var accepted = await weChatPay.TransferAsync(named, "o-payee", Withdrawal.RealNameFromFen, "分销佣金提现", "李雷", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<O2O.Application.Payments.WeChatPay.WeChatPayRefusedException>(
            () => weChatPay.TransferAsync(unnamed, "o-payee", Withdrawal.RealNameFromFen, "分销佣金提现", userName: null, CancellationToken.None));

        Assert.Equal("WAIT_USER_CONFIRM", accepted.State);
        Assert.Contains("user_name is required", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deactivated_agent_cannot_withdraw_a_request_too_large_leaves_nothing_behind_and_a_notice_that_does_not_match_settles_nothing()
    {
        await using var shop = await ShopAsync();
        var (_, agent) = await shop.AvailableCommissionAsync();
        var tooLarge = await shop.WithdrawAsync(agent, 300, "w-big");
        var id = (await (await shop.WithdrawAsync(agent, 100, "w-1")).ReadOkAsync(HttpStatusCode.Created)).GetProperty("withdrawalId").GetString()!;
        // Genuine, signed notices of this bill, but for another amount, or to another payee.
        async Task<HttpResponseMessage> NoticeAsync(long amount, string openId)
        {
            var (body, headers) = shop.WeChatPay.SignedNotification("MCHTRANSFER.BILL.FINISHED", "mch_payment", new
            {
                mch_id = TestApp.MchId, out_bill_no = id, transfer_bill_no = "1330000000000000000001",
                state = "SUCCESS", transfer_amount = amount, openid = openId,
            }, shop.Clock.GetUtcNow());
            var notice = new HttpRequestMessage(HttpMethod.Post, "payments/wechat/notify")
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json")
            };
            foreach (var (name, value) in headers) notice.Headers.TryAddWithoutValidation(name, value);
            return await shop.App.Http.SendAsync(notice);
        }
        var otherAmount = await NoticeAsync(1000, shop.AgentOpenId);
        var otherPayee = await NoticeAsync(100, "o-someone-else");
        await (await shop.App.Admin.PutJsonAsync($"admin/agents/{shop.AgentId}",
            new { openId = shop.AgentOpenId, name = "Xiao Li", active = false })).ReadOkAsync();
        var whileInactive = await shop.WithdrawAsync(agent, 50, "w-2");

        await tooLarge.ReadProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Null(await shop.App.FindAsync(StorageNames.WithdrawalsDueTable, Withdrawal.IdFor(shop.AgentId, "w-big"))); // refused before anything was written
        Assert.Equal(HttpStatusCode.BadRequest, otherAmount.StatusCode);
        Assert.True(otherPayee.IsSuccessStatusCode); // no withdrawal of that payee: taken, and nothing settled
        Assert.Equal(WithdrawalState.Processing, (await shop.Ledger.FindWithdrawalAsync(shop.AgentId, id, CancellationToken.None))!.State);
        await whileInactive.ReadProblemAsync(HttpStatusCode.Forbidden, "agent_inactive");
        Assert.Null(await shop.App.FindAsync(StorageNames.WithdrawalsDueTable, Withdrawal.IdFor(shop.AgentId, "w-2")));
        Assert.Equal(new AgentBalance(0, 0, 299, 100), await shop.Ledger.BalanceAsync(shop.AgentId, CancellationToken.None));
    }

    [Fact]
    public async Task From_two_thousand_yuan_the_reconciler_asks_again_with_the_payee_name_and_a_refusal_gives_the_amount_back()
    {
        await using var shop = await ShopAsync(priceFen: 2_666_667); // 3 of them earn 400,000 fen: twice the real-name threshold
        await shop.AvailableCommissionAsync();
        var due = shop.App.Host.Services.GetRequiredService<WithdrawalDueTable>();
        // Two requests of 2,000 yuan each that reserved the amount and died before asking WeChat Pay: one kept the payee's name, one (written before names
        // were kept) did not.
        Withdrawal Asked(string key, string? name) => new(Withdrawal.IdFor(shop.AgentId, key), shop.AgentId, Withdrawal.RealNameFromFen, shop.AgentOpenId, "h",
            shop.Clock.GetUtcNow(), WithdrawalState.Reserved)
        { PayeeName = name };
        var (named, unnamed) = (Asked("w-named", "李雷"), Asked("w-unnamed", null));
        foreach (var asked in new[] { named, unnamed })
        {
            Assert.NotNull((await shop.Ledger.ReserveAsync(asked, CancellationToken.None)).Withdrawal);
            await due.MarkAsync(asked.Id, shop.Clock.GetUtcNow(), CancellationToken.None, owner: shop.AgentId);
        }

        await shop.App.Host.Services.GetRequiredService<WithdrawalService>().ReconcileAsync(CancellationToken.None);

        Assert.Equal(WithdrawalState.Processing, (await shop.Ledger.FindWithdrawalAsync(shop.AgentId, named.Id, CancellationToken.None))!.State);
        Assert.Equal((Withdrawal.RealNameFromFen, "WAIT_USER_CONFIRM"), shop.WeChatPay.Transfers[named.Id]);
        Assert.Equal(WithdrawalState.Failed, (await shop.Ledger.FindWithdrawalAsync(shop.AgentId, unnamed.Id, CancellationToken.None))!.State);
        Assert.Equal(["requested 200000 Reserved", "failed 200000 Failed"], shop.WithdrawalEvents(unnamed.Id));
        Assert.Equal(new AgentBalance(0, 0, 400_000, 200_000),
            await shop.Ledger.BalanceAsync(shop.AgentId, CancellationToken.None)); // the refused one's amount is back
        Assert.Null(await shop.App.FindAsync(StorageNames.WithdrawalsDueTable, unnamed.Id)); // it does not stick
    }

    private static async Task<Shop> ShopAsync(long priceFen = 1999)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync(priceFen: priceFen);
        var store = await world.StoreAsync(0, stock: [(tea, 10)]);
        var (agentId, agentOpenId, buyerOpenId) = (TestApp.UniqueId("A"), "o-" + Guid.NewGuid().ToString("N"), "o-" + Guid.NewGuid().ToString("N"));
        await (await app.Admin.PutJsonAsync($"admin/agents/{agentId}", new { openId = agentOpenId, name = "Xiao Li", active = true })).ReadOkAsync();
        return new Shop(app, clock, world, await world.ClerkAsync(store), store, tea, priceFen, agentId, agentOpenId, buyerOpenId);
    }

    private sealed record Shop(TestApp App, FakeTimeProvider Clock, StoreWorld World, HttpClient Clerk,
        string Store, string Tea, long PriceFen, string AgentId, string AgentOpenId, string BuyerOpenId)
        : IAsyncDisposable
    {
        public CommissionSync Sync => App.Host.Services.GetRequiredService<CommissionSync>();
        public CommissionLedger Ledger => App.Host.Services.GetRequiredService<CommissionLedger>();
        public WeChatPaySandbox WeChatPay => App.Host.Services.GetRequiredService<WeChatPaySandbox>();

        /// <summary>A buyer who came through the agent's share picks up 3 units (3 × 1,999 fen unless told); a week later 5 % is available (299 fen). The
        /// order, and the agent signed in again.</summary>
        public async Task<(string OrderId, HttpClient Agent)> AvailableCommissionAsync()
        {
            using (var agent = await App.NewConsumerAsync(AgentOpenId))
            {
                var code = (await (await agent.PostAsJsonAsync("agents/me/share-codes",
                    new { })).ReadOkAsync(HttpStatusCode.Created)).GetProperty("code").GetString();
                await (await App.Http.PostAsJsonAsync("auth/wechat-login", new { code = "dev:" + BuyerOpenId, shareCode = code })).ReadOkAsync();
            }
            using var buyer = await App.NewConsumerAsync(BuyerOpenId);
            var (orderId, _) = await buyer.PickedUpAsync(App, Clerk, Store, Tea, quantity: 3);
            await Sync.SyncAsync(orderId, CancellationToken.None);
            Clock.Advance(TimeSpan.FromDays(7));
            await Sync.SettleAsync(CancellationToken.None);
            Assert.Equal(new AgentBalance(0, 0, 3 * PriceFen * 500 / 10_000, 0), await Ledger.BalanceAsync(AgentId, CancellationToken.None));
            return (orderId, await App.NewConsumerAsync(AgentOpenId));
        }

        /// <summary>The withdrawal's events on the topic, in order: "kind amountFen state".</summary>
        public List<string> WithdrawalEvents(string withdrawalId) =>
        [
            .. PublishedEvents.All(App).Where(e => e.GetProperty("subject").GetString() == $"agents/{AgentId}/withdrawals/{withdrawalId}")
                .Select(e => $"{e.GetProperty("type").GetString()!.Replace("o2o.commission.withdrawal.", "", StringComparison.Ordinal)} "
                             + $"{e.GetProperty("data").GetProperty("amountFen").GetInt64()} {e.GetProperty("data").GetProperty("state").GetString()}"),
        ];

        public Task<HttpResponseMessage> WithdrawAsync(HttpClient agent, long amountFen, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "agents/me/withdrawals") { Content = JsonContent.Create(new { amountFen }) };
            request.Headers.Add("Idempotency-Key", key);
            return agent.SendAsync(request);
        }

        /// <summary>Repeats the withdrawal's request (same key) until it answers <paramref name="state"/>: the notification settles it in the
        /// background.</summary>
        public async Task<JsonElement> EventuallyAsync(HttpClient agent, long amountFen, string key, string state)
        {
            JsonElement answer = default;
            for (var i = 0; i < 100; i++)
            {
                answer = await (await WithdrawAsync(agent, amountFen, key)).ReadOkAsync();
                if (answer.GetProperty("state").GetString() == state) return answer;
                await Task.Delay(100);
            }
            Assert.Fail($"withdrawal {key} is {answer.GetProperty("state")}, never {state}");
            return answer;
        }

        public async ValueTask DisposeAsync()
        {
            Clerk.Dispose();
            await App.DisposeAsync();
        }
    }
}
