using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>What the clerk is told when something happens elsewhere or goes wrong: in the screen's language, never the server's English.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class StoreConsoleMessagesTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_new_order_the_buyer_cancels_is_announced_with_why_and_listed_as_cancelled_with_its_reason()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (sku, 1)));
        await consumer.PayAsync(world.App, orderId);
        var page = await browser.SignedInAsync(world, store);
        var card = page.Locator($"article[data-order-id='{orderId}']");
        await Expect(card).ToBeVisibleAsync();

        await (await consumer.PostAsync($"orders/{orderId}/cancel", null)).ReadOkAsync();

        // The card does not quietly vanish: the console says which order was cancelled and why.
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"订单 #{orderId[^6..].ToUpperInvariant()} 已取消：顾客取消");
        await Expect(card).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "已取消/已拒单" }).ClickAsync();
        await Expect(card.Locator("dd.cancelReason")).ToHaveTextAsync("顾客取消");
        await Expect(card.Locator(".status")).ToHaveTextAsync("已取消");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(card.Locator("dd.cancelReason")).ToHaveTextAsync("cancelled by the buyer");
    }

    [Fact]
    public async Task A_refusal_from_the_server_is_told_in_the_screens_language_by_its_code()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync(onHand: 2);
        var page = await browser.SignedInAsync(world, store);
        await page.Locator("button[data-section=stock]").ClickAsync();
        var row = page.Locator("#stock-table tbody tr", new() { HasText = sku });

        await row.GetByLabel("数量变化").FillAsync("-5"); // below zero: the server refuses it (validation_failed), in English
        await row.GetByLabel("原因").FillAsync("盘点");
        await row.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();

        await Expect(page.Locator("#stock-message")).ToHaveTextAsync("填写的内容不正确，请检查后重试");
        Assert.Equal((2, 0, 2), await world.StockAsync(store, sku));
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync(); // the table is drawn again, its fields empty
        await row.GetByLabel("Change").FillAsync("-5");
        await row.GetByLabel("Reason").FillAsync("recount");
        await row.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("#stock-message")).ToHaveTextAsync("Something filled in is not valid; check it and try again");
    }
}
