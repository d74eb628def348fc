using Microsoft.Playwright;
using O2O.IntegrationTests.AfterSales;
using static Microsoft.Playwright.Assertions;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>After-sales in the store console, as a clerk answers requests, in headless Chromium.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class StoreConsoleAfterSalesTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_clerk_sees_requests_arrive_approves_rejects_and_receives_a_damaged_return_and_cannot_hand_over_an_order_with_a_request_waiting()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var cake = await world.SkuAsync(priceFen: 30_000, name: "Whole mango cake");
        var store = await world.StoreAsync(0, stock: [(tea, 10), (cake, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var waiting = await consumer.ReadyPickupAsync(world.App, clerk, store, tea, quantity: 2);
        var returned = await consumer.ReadyPickupAsync(world.App, clerk, store, tea);
        var expensive = await consumer.ReadyPickupAsync(world.App, clerk, store, cake, quantity: 2);
        foreach (var (_, code) in new[] { returned, expensive })
            await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();
        var refund = await consumer.OpenCaseAsync(waiting.OrderId, AfterSalesClient.Refund((tea, 1)));
        var back = await consumer.OpenCaseAsync(returned.OrderId, AfterSalesClient.Return((tea, 1)));
        var large = await consumer.OpenCaseAsync(expensive.OrderId, AfterSalesClient.Refund((cake, 2)));

        var page = await browser.NewPageAsync(world.App.Host.BaseAddress(), 1024, 800);
        await page.GotoAsync("/console/");
        await ConsoleBrowser.SignInAsync(page, store, await world.StoreKeyAsync(store));
        await Expect(page.Locator("#cases-badge")).ToHaveTextAsync("3");

        // The order with a request waiting is not handed over at the counter.
        await page.Locator("button[data-section=verify]").ClickAsync();
        await page.GetByLabel("取货码（6 位数字）或扫码内容").FillAsync(waiting.Code);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询订单" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "确认交付" }).ClickAsync();
        await Expect(page.Locator("#verify-message")).ToHaveTextAsync("该订单有待处理的售后申请：请先在“售后”中处理");

        await page.Locator("button[data-section=aftersales]").ClickAsync();
        var refundCard = Case(page, refund.Id());
        await Expect(refundCard).ToContainTextAsync("仅退款");
        await Expect(refundCard).ToContainTextAsync("待处理");
        await Expect(refundCard).ToContainTextAsync("Jasmine milk tea × 1");
        await Expect(refundCard).ToContainTextAsync("¥18.00");
        await Expect(Case(page, large.Id())).ToContainTextAsync("金额超过门店审批额度，需总部审批");
        await Expect(Case(page, large.Id()).Locator(".status")).ToHaveTextAsync("已转总部审批"); // not "to answer": head office has it
        await Expect(Case(page, large.Id()).GetByRole(AriaRole.Button, new() { Name = $"同意 #{Short(large.Id())}" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-after-sales.png"), FullPage = true });

        await refundCard.GetByRole(AriaRole.Button, new() { Name = $"同意 #{Short(refund.Id())}" }).ClickAsync();
        // Money goes back only once the clerk confirms it, with the amount in front of them.
        await Expect(page.Locator("#case-approve-text")).ToHaveTextAsync($"将 ¥18.00 原路退回给顾客（#{Short(refund.Id())}）？");
        await page.Locator("#case-approve-dialog").GetByRole(AriaRole.Button, new() { Name = "返回" }).ClickAsync();
        await Expect(Case(page, refund.Id()).Locator(".status")).ToHaveTextAsync("待处理");
        await refundCard.GetByRole(AriaRole.Button, new() { Name = $"同意 #{Short(refund.Id())}" }).ClickAsync();
        await page.Locator("#case-approve-dialog").GetByRole(AriaRole.Button, new() { Name = "同意退款" }).ClickAsync();
        await Expect(page.Locator("#cases-message")).ToHaveTextAsync("已同意，退款将原路退回");
        await Expect(Case(page, refund.Id())).Not.ToContainTextAsync("待处理");
        await Expect(page.Locator("#cases-message")).ToBeFocusedAsync(); // the answer, read out, rather than the page

        await Case(page, large.Id()).GetByRole(AriaRole.Button, new() { Name = $"拒绝 #{Short(large.Id())}" }).ClickAsync();
        await page.Locator("#case-reject-reason").FillAsync("蛋糕已食用");
        await page.Locator("#case-reject-dialog").GetByRole(AriaRole.Button, new() { Name = "拒绝" }).ClickAsync();
        await Expect(Case(page, large.Id())).ToContainTextAsync("已拒绝");

        await Case(page, back.Id()).GetByRole(AriaRole.Button, new() { Name = $"同意 #{Short(back.Id())}" }).ClickAsync();
        await Expect(page.Locator("#case-approve-text")).ToHaveTextAsync($"同意顾客退货（#{Short(back.Id())}）？收到商品后退回 ¥18.00。");
        await page.Locator("#case-approve-dialog").GetByRole(AriaRole.Button, new() { Name = "同意退款" }).ClickAsync();
        await Expect(Case(page, back.Id())).ToContainTextAsync("待退回商品");
        await Case(page, back.Id()).GetByRole(AriaRole.Button, new() { Name = $"已收货·损坏 #{Short(back.Id())}" }).ClickAsync();
        await Expect(page.Locator("#cases-message")).ToHaveTextAsync("已收货，退款将原路退回");
        await Expect(page.Locator("#cases-badge")).ToBeHiddenAsync();

        // A request that arrives while the clerk is on the screen is announced.
        var another = await consumer.ReadyPickupAsync(world.App, clerk, store, tea);
        var late = await consumer.OpenCaseAsync(another.OrderId, AfterSalesClient.Refund((tea, 1)));
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"新的售后申请 #{Short(late.Id())}");
        await Expect(page.Locator("#cases-badge")).ToHaveTextAsync("1");

        Assert.Equal("Refunded", (await consumer.EventuallyAsync(returned.OrderId, back.Id(), "Refunded")).Stage());
        Assert.Equal("Rejected", (await consumer.CasesAsync(expensive.OrderId)).Single().Stage());
        await page.Locator("button[data-section=stock]").ClickAsync();
        await Expect(page.Locator("#stock-table tbody tr", new() { HasText = tea })).ToContainTextAsync("1"); // the damaged unit
        // 10 − 1 handed over (and back, damaged); 1 still waiting at the counter, the refunded one back on sale; 1 more waiting with its request
        Assert.Equal((9, 2, 7), await world.StockAsync(store, tea));
    }

    private static ILocator Case(IPage page, string caseId) => page.Locator($"article[data-case-id='{caseId}']");

    /// <summary>How the console names a case: its order's short number and the case's own.</summary>
    private static string Short(string caseId) => $"{caseId[..^4][^6..].ToUpperInvariant()}/{caseId[^3..].ToUpperInvariant()}";
}
