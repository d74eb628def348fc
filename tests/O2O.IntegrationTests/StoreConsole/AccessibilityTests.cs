using Microsoft.Playwright;
using O2O.IntegrationTests.AfterSales;
using static Microsoft.Playwright.Assertions;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>axe-core (from npm, pinned in package.json) on each main screen: no serious or critical violation.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class AccessibilityTests(ConsoleBrowser browser)
{
    private static readonly string AxeScript = Path.Combine(ConsoleBrowser.RepoRoot(), "node_modules", "axe-core", "axe.min.js");

    /// <summary>A counter tablet and a phone, each in both languages.</summary>
    public static TheoryData<int, int, string> Screens => new()
    {
        { 1024, 800, "zh" }, { 1024, 800, "en" }, { 360, 740, "zh" }, { 360, 740, "en" },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Sign_in_queue_verification_stock_and_after_sales_screens_have_no_serious_violations(int width, int height, string language)
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (_, code) = await consumer.ReadyPickupAsync(world.App, clerk, store, sku);
        var (handedOver, usedCode) = await consumer.ReadyPickupAsync(world.App, clerk, store, sku);
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = usedCode })).ReadOkAsync();
        var asked = await consumer.OpenCaseAsync(handedOver, AfterSalesClient.Return((sku, 1)));
        var paid = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(500), (sku, 1)));
        await consumer.PayAsync(world.App, paid);
        var page = await browser.NewPageAsync(world.App.Host.BaseAddress(), width, height);
        var at = $"{width} px, {language}";

        await page.GotoAsync("/console/");
        if (language == "en") await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language == "en" ? "en" : "zh-CN");
        await AssertNoSeriousViolationsAsync(page, $"sign-in, {at}");

        await page.Locator("#store-id").FillAsync(store);
        await page.Locator("#store-key").FillAsync(await world.StoreKeyAsync(store));
        await page.Locator("#sign-in-form button[type=submit]").ClickAsync();
        await Expect(page.Locator($"article[data-order-id='{paid}']")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, $"queue, {at}");

        await page.Locator("button[data-section=verify]").ClickAsync();
        await page.Locator("#code").FillAsync(code);
        await page.Locator("#verify-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#preview")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, $"verification, {at}");

        await page.Locator("button[data-section=stock]").ClickAsync();
        await Expect(page.Locator("#stock-table tbody tr")).ToHaveCountAsync(1);
        await AssertNoSeriousViolationsAsync(page, $"stock, {at}");

        await page.Locator("button[data-section=aftersales]").ClickAsync();
        await Expect(page.Locator($"article[data-case-id='{asked.GetProperty("caseId").GetString()}']")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, $"after-sales, {at}");

        await page.GotoAsync("/console/api/");
        await Expect(page.Locator("#operations article").First).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, $"API reference, {at}");
    }

    internal static async Task AssertNoSeriousViolationsAsync(IPage page, string screen)
    {
        Assert.True(File.Exists(AxeScript), $"axe-core is missing at {AxeScript}: scripts/test.sh installs it with npm ci.");
        await page.AddScriptTagAsync(new() { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }))");
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} at {v.GetProperty("nodes")}")
            .ToList();
        Assert.True(serious.Count == 0, $"{screen}: {string.Join("; ", serious)}");
    }
}
