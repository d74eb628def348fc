using Microsoft.Playwright;
using O2O.IntegrationTests.AfterSales;
using static Microsoft.Playwright.Assertions;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>
/// Head office's page (/console/hq/) in Chromium, signed in through the Entra ID sandbox's development sign-in page with PKCE, as a
/// person would. On an app of its own, so its lists (every store, every case for head office) hold only this class's.
/// </summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class HeadOfficeConsoleTests(ConsoleBrowser browser) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartIsolatedAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Signs in on the page: its button, then the sandbox's development page with a name and exactly these roles.</summary>
    private async Task<IPage> SignedInAsync(string name, string[] roles, int width = 1024, int height = 800, string language = "zh")
    {
        var page = await browser.NewPageAsync(_app.Host.BaseAddress(), width, height);
        await page.GotoAsync("/console/hq/");
        if (language == "en") await page.Locator("#lang").ClickAsync();
        await page.Locator("#sign-in-button").ClickAsync();
        await Expect(page.Locator("p.dev")).ToContainTextAsync("DEVELOPMENT ONLY");
        await page.Locator("#name").FillAsync(name);
        foreach (var role in new[] { "operator", "finance", "admin" })
            await page.Locator($"input[name=roles][value={role}]").SetCheckedAsync(roles.Contains(role));
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#workspace")).ToBeVisibleAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync(name);
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal); // the code leaves the address bar
        return page;
    }

    private async Task<(string Store, string CaseId, HttpClient Consumer, string OrderId)> CaseAboveTheLimitAsync()
    {
        var world = new StoreWorld(_app);
        var cake = await world.SkuAsync(priceFen: 30_000, name: "Whole mango cake");
        var store = await world.StoreAsync(0, stock: [(cake, 5)]);
        var consumer = await _app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (orderId, _) = await consumer.PickedUpAsync(_app, clerk, store, cake, quantity: 2);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((cake, 2)));
        return (store, asked.Id(), consumer, orderId);
    }

    [Fact]
    public async Task Finance_approves_a_case_above_the_store_limit_after_confirming_the_amount_and_the_trail_names_them()
    {
        var (store, caseId, consumer, orderId) = await CaseAboveTheLimitAsync();
        using (consumer)
        {
            var page = await SignedInAsync("Fang Finance", ["finance"]);
            var card = page.Locator($"article[data-case-id='{caseId}']");
            await Expect(card).ToContainTextAsync("¥600.00");
            await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("hq-cases.png"), FullPage = true });

            await card.GetByRole(AriaRole.Button, new() { Name = "同意" }).ClickAsync();
            await Expect(page.Locator("#approve-text")).ToHaveTextAsync($"将 ¥600.00 原路退回给顾客（{caseId}）？");
            await page.GetByRole(AriaRole.Button, new() { Name = "同意退款" }).ClickAsync();

            await Expect(page.Locator("#message")).ToHaveTextAsync($"已同意，退款处理中 · {caseId}");
            await Expect(page.Locator("#message")).ToBeFocusedAsync();
            await Expect(card).ToBeHiddenAsync();
            Assert.Equal(60_000, (await consumer.EventuallyAsync(orderId, caseId, "Refunded")).GetProperty("refundFen").GetInt64());

            await page.Locator("button[data-section=audit]").ClickAsync();
            var row = page.Locator("#audit-table tbody tr").First;
            await Expect(row).ToContainTextAsync("Fang Finance");
            await Expect(row).ToContainTextAsync("aftersales.approved");
            await Expect(row).ToContainTextAsync("完成");

            // The store's own list sees head office's answer, not a case still waiting for it.
            using var clerk = await new StoreWorld(_app).ClerkAsync(store);
            var atStore = (await (await clerk.GetAsync($"stores/{store}/after-sales")).ReadOkAsync()).GetProperty("items").EnumerateArray()
                .Single(c => c.Id() == caseId);
            Assert.Equal(("headoffice", false), (atStore.GetProperty("reviewedBy").GetString(), atStore.GetProperty("needsHeadOffice").GetBoolean()));
        }
    }

    [Fact]
    public async Task Finance_rejects_a_case_with_a_reason_the_buyer_reads()
    {
        var (_, caseId, consumer, orderId) = await CaseAboveTheLimitAsync();
        using (consumer)
        {
            var page = await SignedInAsync("Fang Finance", ["finance"]);
            var card = page.Locator($"article[data-case-id='{caseId}']");

            await card.GetByRole(AriaRole.Button, new() { Name = "拒绝" }).ClickAsync();
            await page.Locator("#reject-reason").FillAsync("蛋糕已食用过半，不符合退款条件");
            await page.Locator("#reject-dialog button[value=confirm]").ClickAsync();

            await Expect(page.Locator("#message")).ToHaveTextAsync($"已拒绝 · {caseId}");
            await Expect(card).ToBeHiddenAsync();
            var rejected = await consumer.EventuallyAsync(orderId, caseId, "Rejected");
            Assert.Equal("蛋糕已食用过半，不符合退款条件", rejected.GetProperty("rejectReason").GetString());
        }
    }

    [Fact]
    public async Task An_operator_edits_a_store_cannot_approve_or_issue_keys_and_exports_the_trail()
    {
        var (store, caseId, consumer, _) = await CaseAboveTheLimitAsync();
        consumer.Dispose();
        var page = await SignedInAsync("Olivia Operator", ["operator"]);
        var card = page.Locator($"article[data-case-id='{caseId}']");
        await Expect(card).ToContainTextAsync("审批需要财务角色");
        await Expect(card.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await page.Locator("button[data-section=stores]").ClickAsync();
        var storeCard = page.Locator($"article[data-store-id='{store}']");
        await Expect(storeCard.GetByRole(AriaRole.Button, new() { Name = "发放新密钥" })).ToHaveCountAsync(0);
        await storeCard.GetByLabel("配送半径（米）").FillAsync("3000");
        await storeCard.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync($"已保存 · Store {store}");
        Assert.Equal(3000, (await (await _app.Admin.GetAsync($"admin/stores/{store}")).ReadOkAsync()).GetProperty("deliveryRadiusM").GetInt32());

        await page.Locator("button[data-section=audit]").ClickAsync();
        var row = page.Locator("#audit-table tbody tr").First;
        await Expect(row).ToContainTextAsync("Olivia Operator");
        await Expect(row).ToContainTextAsync("deliveryRadiusM: 5000 → 3000");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"Olivia Operator,entra,store.put,stores/{store},done", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_issues_a_store_key_shown_once_that_opens_the_store()
    {
        var store = await new StoreWorld(_app).StoreAsync(0);
        var page = await SignedInAsync("Ada Admin", ["admin"]);
        await page.Locator("button[data-section=stores]").ClickAsync();
        await page.Locator($"article[data-store-id='{store}']").GetByRole(AriaRole.Button, new() { Name = "发放新密钥" }).ClickAsync();

        await Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-value")).Not.ToBeEmptyAsync();
        var key = await page.Locator("#key-value").TextContentAsync();
        using var clerk = new HttpClient { BaseAddress = _app.Http.BaseAddress };
        clerk.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        await (await clerk.GetAsync($"stores/{store}/orders?status=Paid")).ReadOkAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "已交给门店" }).ClickAsync();
        await Expect(page.Locator("#key-value")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task The_sign_in_says_so_when_Entra_ID_cannot_be_reached()
    {
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes,
            overrides: new Dictionary<string, string?> { ["HeadOffice__Authority"] = "http://127.0.0.1:1/sandbox/entra/t/v2.0" });
        var page = await browser.NewPageAsync(app.Host.BaseAddress());
        await page.GotoAsync("/console/hq/");

        await page.Locator("#sign-in-button").ClickAsync();

        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("暂时无法连接 Microsoft Entra ID，请稍后重试。");
        Assert.EndsWith("/console/hq/", page.Url, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AccessibilityTests.Screens), MemberType = typeof(AccessibilityTests))]
    public async Task Sign_in_cases_stores_and_audit_have_no_serious_violations_and_fit_the_screen(int width, int height, string language)
    {
        await CaseAboveTheLimitAsync();
        var at = $"{width} px, {language}";
        var page = await SignedInAsync("Ada Admin", ["admin"], width, height, language);
        await Expect(page.Locator("article[data-case-id]")).ToHaveCountAsync(1);
        await AccessibilityTests.AssertNoSeriousViolationsAsync(page, $"head-office cases, {at}");
        foreach (var section in new[] { "stores", "audit" })
        {
            await page.Locator($"button[data-section={section}]").ClickAsync();
            await Expect(page.Locator($"#{section}")).ToBeVisibleAsync();
            await AccessibilityTests.AssertNoSeriousViolationsAsync(page, $"head-office {section}, {at}");
            await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath($"hq-{section}-{width}-{language}.png"), FullPage = true });
            Assert.True(await page.EvaluateAsync<bool>("document.scrollingElement.scrollWidth <= window.innerWidth"), $"{section} scrolls sideways, {at}");
        }
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await AccessibilityTests.AssertNoSeriousViolationsAsync(page, $"head-office sign-in, {at}");
        var keys = await page.EvaluateAsync<string[][]>("""
            async () => {
              const { dictionaries } = await import('/console/hq/words.js');
              const keys = (o, p = '') => Object.entries(o).flatMap(([k, v]) => typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]);
              return [keys(dictionaries.zh).sort(), keys(dictionaries.en).sort()];
            }
            """);
        Assert.Equal(keys[0], keys[1]);
    }
}
