using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>The clerk's queue by the promise: what must start first on top, a later slot's order marked as scheduled, a late one flagged.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed partial class StoreConsolePromiseTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task New_orders_are_listed_by_when_work_must_start_with_the_slot_the_scheduled_mark_and_the_late_badge()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        // No preparation time: an order for now is due at once, so it shows late as soon as it is paid.
        var policy = new { lengthMinutes = 30, leadMinutes = 0, daysAhead = 1, capacity = 5 };
        var store = await world.StoreAsync(0, preparationMinutes: 0, slots: new { pickup = policy }, stock: [(tea, 10)]);
        var slots = await (await world.App.Http.GetAsync($"slots?mode=pickup&storeId={store}&sku={tea}")).ReadOkAsync();
        var slot = slots.GetProperty("slots")[8];
        using var consumer = await world.App.NewConsumerAsync();
        var now = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        await consumer.PayAsync(world.App, now);
        var later = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)).ForSlot(slot.GetProperty("start").GetString()!));
        await consumer.PayAsync(world.App, later);
        var page = await browser.SignedInAsync(world, store, 360, 740);

        var cards = page.Locator("#order-list article");
        await Expect(cards).ToHaveCountAsync(2);
        // Placed last, but due hours from now: below the order due now (newest first would put it on top).
        Assert.Equal([now, later], await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.orderId)"));
        var scheduled = page.Locator($"article[data-order-id='{later}']");
        var start = slot.GetProperty("start").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8));
        await Expect(scheduled.Locator(".scheduled")).ToHaveTextAsync($"预约单 · {start:MM/dd HH:mm} 开始备货");
        await Expect(scheduled.Locator("dd.slot")).ToHaveTextAsync($"{start:MM/dd HH:mm}–{start.AddMinutes(30):HH:mm}");
        var late = page.Locator($"article[data-order-id='{now}'] .late");
        await Expect(late).ToHaveTextAsync(LateZh());
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-promise.png"), FullPage = true });
        await AccessibilityTests.AssertNoSeriousViolationsAsync(page, "queue with promises, 360 px");

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(late).ToHaveTextAsync(LateEn());
        await Expect(scheduled.Locator(".scheduled")).ToContainTextAsync("Scheduled · start at");
        await AccessibilityTests.AssertNoSeriousViolationsAsync(page, "queue with promises, 360 px, English");
        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();

        // Accepted, the late order moves on; the scheduled one stays new, without a late badge.
        await page.Locator($"article[data-order-id='{now}']").GetByRole(AriaRole.Button, new() { Name = "接单" }).ClickAsync();
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(scheduled.Locator(".late")).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"^已超时 \d+ 分钟$")]
    private static partial Regex LateZh();

    [GeneratedRegex(@"^Late by \d+ min$")]
    private static partial Regex LateEn();
}
