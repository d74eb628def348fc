using System.Net.Http.Headers;
using O2O.Application.Agents;
using O2O.Domain.Agents;

namespace O2O.IntegrationTests.Agents;

public sealed class AgentTests
{
    [Fact]
    public async Task A_buyer_who_came_through_a_share_earns_its_agent_commission_frozen_on_the_order()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var (agentId, agentOpenId) = (TestApp.UniqueId("A"), "o-" + Guid.NewGuid().ToString("N"));
        await PutAgentAsync(app, agentId, agentOpenId, tier: "gold");
        using var agent = await app.NewConsumerAsync(agentOpenId);
        using var stranger = await app.NewConsumerAsync();

        var code = await ShareCodeAsync(agent);
        var notAnAgent = await stranger.PostAsJsonAsync("agents/me/share-codes", new { });
        var buyerOpenId = "o-" + Guid.NewGuid().ToString("N");
        using var buyer = await LoginAsync(app, buyerOpenId, code);
        var first = await buyer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        await (await app.Admin.PutJsonAsync($"admin/agents/{agentId}", new
        {
            openId = agentOpenId,
            name = "Xiao Li", tier = "gold", active = false
        })).ReadOkAsync();
        var afterDeactivation = await buyer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));

        var movedOpenId = "o-" + Guid.NewGuid().ToString("N");
        await (await app.Admin.PutJsonAsync($"admin/agents/{agentId}", new
        {
            openId = movedOpenId,
            name = "Xiao Li", tier = "gold", active = true
        })).ReadOkAsync();
        var oldOpenIdDraws = await agent.PostAsJsonAsync("agents/me/share-codes", new { });
        await oldOpenIdDraws.ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden"); // the openid the agent had no longer acts as the agent

        Assert.InRange(code.Length, 1, 32);
        Assert.DoesNotContain(agentId, code, StringComparison.OrdinalIgnoreCase);
        await notAnAgent.ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var attribution = (await OrderAsync(app, first)).Attribution!;
        Assert.Equal(agentId, attribution.AgentId);
        Assert.Null(attribution.ParentAgentId);
        Assert.Equal([new LineRate(tea, 500, 0)], attribution.Rates);
        Assert.Null((await OrderAsync(app, afterDeactivation)).Attribution); // a deactivated agent earns on no new order
        Assert.Equal(agentId, (await OrderAsync(app, first)).Attribution!.AgentId); // and the first order keeps its own
    }

    [Fact]
    public async Task Of_scans_of_two_agents_at_the_same_moment_exactly_one_binds_and_the_other_agent_s_share_changes_nothing_later()
    {
        var app = await TestApp.Shared;
        var service = app.Host.Services.GetRequiredService<AgentService>();
        var (first, second) = (TestApp.UniqueId("A"), TestApp.UniqueId("A"));
        var (firstOpenId, secondOpenId) = ("o-" + Guid.NewGuid().ToString("N"), "o-" + Guid.NewGuid().ToString("N"));
        await PutAgentAsync(app, first, firstOpenId);
        await PutAgentAsync(app, second, secondOpenId);
        using var firstAgent = await app.NewConsumerAsync(firstOpenId);
        using var secondAgent = await app.NewConsumerAsync(secondOpenId);
        var codes = new[] { await ShareCodeAsync(firstAgent), await ShareCodeAsync(secondAgent) };
        var consumer = OrderIds.ConsumerKey("o-" + Guid.NewGuid().ToString("N"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 9).Select(i => service.BindAsync(consumer, codes[i % 2], CancellationToken.None)));
        var later = await service.BindAsync(consumer, codes[0], CancellationToken.None);
        var overTheLimit = await service.BindAsync(consumer, codes[1], CancellationToken.None); // the 11th code offered within a minute

        Assert.Equal(1, outcomes.Count(o => o == BindingOutcome.Bound));
        Assert.All(outcomes.Where(o => o != BindingOutcome.Bound), o => Assert.Equal(BindingOutcome.Kept, o));
        var table = app.Host.Services.GetRequiredService<AgentsTable>();
        var bound = (await table.BindingAsync(consumer, CancellationToken.None))!.Value.Binding;
        Assert.Equal(bound.AgentId, Assert.Single(await table.BindingHistoryAsync(consumer, CancellationToken.None)).AgentId);
        Assert.Equal(BindingOutcome.Kept, later);
        Assert.Equal(BindingOutcome.RateLimited, overTheLimit);
    }

    [Fact]
    public async Task An_agent_buying_through_their_own_share_earns_nothing_and_the_order_goes_through()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var (agentId, openId) = (TestApp.UniqueId("A"), "o-" + Guid.NewGuid().ToString("N"));
        await PutAgentAsync(app, agentId, openId);
        using var agent = await app.NewConsumerAsync(openId);
        var code = await ShareCodeAsync(agent);

        var cart = new { items = new[] { new { sku = tea, quantity = 1 } }, fulfillment = new { mode = "pickup", storeId = store }, shareCode = code };
        var own = await agent.PlaceOrderAsync(cart);
        var unknown = await agent.PlaceOrderAsync(new
        {
            items = new[] { new { sku = tea, quantity = 1 } },
            fulfillment = new { mode = "pickup", storeId = store }, shareCode = "nosuchcode"
        });

        Assert.Null((await OrderAsync(app, own)).Attribution);
        Assert.Null((await OrderAsync(app, unknown)).Attribution);
        Assert.Null(await app.Host.Services.GetRequiredService<AgentsTable>().BindingAsync(OrderIds.ConsumerKey(openId), CancellationToken.None));
    }

    [Fact]
    public async Task With_two_levels_the_parent_earns_too_within_the_cap_and_a_sku_s_own_rate_comes_before_the_tier_s()
    {
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes, overrides: new Dictionary<string, string?>
        {
            ["Agents__Levels"] = "2", ["Agents__TierRatesBps"] = "gold:1450",
        });
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var cake = TestApp.UniqueId("SKU");
        await (await app.Admin.PutJsonAsync($"admin/skus/{cake}", new
        {
            name = "Mango cake",
            priceFen = 3000, active = true, commissionBps = 300
        })).ReadOkAsync();
        await (await app.Admin.PutJsonAsync($"admin/stores/{store}/stock/{cake}", new { onHand = 5 })).ReadOkAsync();
        var (parent, child) = (TestApp.UniqueId("P"), TestApp.UniqueId("A"));
        var parentOpenId = "o-" + Guid.NewGuid().ToString("N");
        await PutAgentAsync(app, parent, parentOpenId);
        var childOpenId = "o-" + Guid.NewGuid().ToString("N");
        await PutAgentAsync(app, child, childOpenId, tier: "gold", parentAgentId: parent);
        using var agent = await app.NewConsumerAsync(childOpenId);
        using var buyer = await LoginAsync(app, "o-" + Guid.NewGuid().ToString("N"), await ShareCodeAsync(agent));

        var orderId = await buyer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1), (cake, 1)));
        var loop = await app.Admin.PutJsonAsync($"admin/agents/{parent}",
            new { openId = "o-parent-" + parent, name = "Boss", active = true, parentAgentId = child });
        // The parent buys through its recruit's share: neither level earns on the parent's own purchase.
        using var parentBuying = await LoginAsync(app, parentOpenId, await ShareCodeAsync(agent));
        var parentsOwn = await parentBuying.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));

        var attribution = (await OrderAsync(app, orderId)).Attribution!;
        Assert.Equal((child, parent), (attribution.AgentId, attribution.ParentAgentId));
        Assert.Equal([new LineRate(tea, 1450, 50), new LineRate(cake, 300, 100)],
            attribution.Rates); // the tier's 1450 + 100 capped at 1500; the cake's own 300
        await loop.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Null((await OrderAsync(app, parentsOwn)).Attribution);
        Assert.Null(await app.Host.Services.GetRequiredService<AgentsTable>().BindingAsync(OrderIds.ConsumerKey(parentOpenId), CancellationToken.None));
    }

    [Fact]
    public async Task Agents_who_share_with_each_other_earn_nothing_on_each_others_purchases_nor_on_a_buyer_who_became_an_agent()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var (first, second) = (TestApp.UniqueId("A"), TestApp.UniqueId("A"));
        var (firstOpenId, secondOpenId, laterOpenId) = ("o-" + Guid.NewGuid().ToString("N"),
            "o-" + Guid.NewGuid().ToString("N"), "o-" + Guid.NewGuid().ToString("N"));
        await PutAgentAsync(app, first, firstOpenId);
        await PutAgentAsync(app, second, secondOpenId);
        using var firstAgent = await app.NewConsumerAsync(firstOpenId);
        using var secondAgent = await app.NewConsumerAsync(secondOpenId);
        var (firstCode, secondCode) = (await ShareCodeAsync(firstAgent), await ShareCodeAsync(secondAgent));
        // A buyer bound to the first agent who is then made an agent too.
        using var later = await LoginAsync(app, laterOpenId, firstCode);
        await PutAgentAsync(app, TestApp.UniqueId("A"), laterOpenId);
        var service = app.Host.Services.GetRequiredService<AgentService>();

        var firstBinds = await service.BindAsync(OrderIds.ConsumerKey(firstOpenId), secondCode, CancellationToken.None);
        var secondBinds = await service.BindAsync(OrderIds.ConsumerKey(secondOpenId), firstCode, CancellationToken.None);
        using var firstBuying = await LoginAsync(app, firstOpenId, secondCode);
        var firstBuys = await firstBuying.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        var laterBuys = await later.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));

        Assert.Equal((BindingOutcome.BuyerIsAgent, BindingOutcome.BuyerIsAgent), (firstBinds, secondBinds));
        Assert.Null((await OrderAsync(app, firstBuys)).Attribution);
        Assert.Equal(first, (await app.Host.Services.GetRequiredService<AgentsTable>().BindingAsync(OrderIds.ConsumerKey(laterOpenId),
            CancellationToken.None))!.Value.Binding.AgentId);
        Assert.Null((await OrderAsync(app, laterBuys)).Attribution); // bound before, an agent now: earns nobody anything
    }

    [Theory]
    [InlineData("store=S-001&t=1")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("分享码")]
    [InlineData("a-share-code-far-longer-than-any-code-we-ever-issue")]
    public async Task A_share_code_that_cannot_be_ours_is_ignored_and_the_buyer_logs_in_and_orders_unattributed(string scene)
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var openId = "o-" + Guid.NewGuid().ToString("N");

        using var buyer = await LoginAsync(app, openId, scene);
        var orderId = await buyer.PlaceOrderAsync(new
        {
            items = new[] { new { sku = tea, quantity = 1 } },
            fulfillment = new { mode = "pickup", storeId = store }, shareCode = scene
        });

        Assert.Null((await OrderAsync(app, orderId)).Attribution);
        Assert.Null(await app.Host.Services.GetRequiredService<AgentsTable>().BindingAsync(OrderIds.ConsumerKey(openId), CancellationToken.None));
    }

    [Fact]
    public async Task A_parent_chain_that_would_loop_at_any_length_is_refused()
    {
        var app = await TestApp.Shared;
        var (p, c, g) = (TestApp.UniqueId("P"), TestApp.UniqueId("C"), TestApp.UniqueId("G"));
        await PutAgentAsync(app, p, "o-" + Guid.NewGuid().ToString("N"));
        await PutAgentAsync(app, c, "o-" + Guid.NewGuid().ToString("N"), parentAgentId: p);
        var gOpenId = "o-" + Guid.NewGuid().ToString("N");
        await PutAgentAsync(app, g, gOpenId, parentAgentId: c);

        var pUnderG = await app.Admin.PutJsonAsync($"admin/agents/{p}", new { openId = "o-p-" + p, name = "Boss", active = true, parentAgentId = g });
        var gUnderP = await app.Admin.PutJsonAsync($"admin/agents/{g}", new { openId = gOpenId, name = "Xiao Li", active = true, parentAgentId = p });

        var problem = await pUnderG.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("a loop", problem.GetProperty("errors").GetProperty("parentAgentId")[0].GetString(), StringComparison.Ordinal);
        Assert.False((await (await app.Admin.GetAsync($"admin/agents/{p}")).ReadOkAsync()).TryGetProperty("parentAgentId", out _)); // P stays at the top
        await gUnderP.ReadOkAsync(); // moving G up under P makes no loop
    }

    private static async Task PutAgentAsync(TestApp app, string agentId, string openId, string? tier = null, string? parentAgentId = null) =>
        await (await app.Admin.PutJsonAsync($"admin/agents/{agentId}", new { openId, name = "Xiao Li", tier, active = true, parentAgentId })).ReadOkAsync();

    private static async Task<string> ShareCodeAsync(HttpClient agent) =>
        (await (await agent.PostAsJsonAsync("agents/me/share-codes", new { })).ReadOkAsync(HttpStatusCode.Created)).GetProperty("code").GetString()!;

    /// <summary>A consumer who opened the mini-program through a share: the login carries the code.</summary>
    private static async Task<HttpClient> LoginAsync(TestApp app, string openId, string shareCode)
    {
        var session = await (await app.Http.PostAsJsonAsync("auth/wechat-login", new { code = "dev:" + openId, shareCode })).ReadOkAsync();
        var client = new HttpClient { BaseAddress = app.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return client;
    }

    private static async Task<Order> OrderAsync(TestApp app, string orderId) =>
        (await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None))!.Order;
}
