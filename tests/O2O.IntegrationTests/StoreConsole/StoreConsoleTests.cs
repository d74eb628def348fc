using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>The store console as a clerk uses it, in headless Chromium against the local host.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class StoreConsoleTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_clerk_signs_in_sees_a_paid_order_arrive_accepts_readies_and_hands_it_over_at_the_counter()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        var page = await SignedInAsync(world, store);
        await Expect(page.Locator("#order-list")).ToContainTextAsync("暂无订单");
        await Expect(page.Locator("#tab-paid")).ToBeFocusedAsync(); // after sign-in, the clerk starts at the queue
        await Expect(page.Locator("#store-name")).ToHaveTextAsync($"Store {store} ({store})"); // its name, not only its id
        await Expect(page.Locator("#store-hours")).ToHaveTextAsync("自提：接单中 · 配送：接单中"); // no hours: the switch alone

        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (sku, 2)));
        await consumer.PayAsync(world.App, orderId);

        // It arrives without a reload: a card in the new-orders tab, a badge, the count in the title.
        var card = Card(page, orderId);
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("Jasmine milk tea × 2");
        await Expect(card).ToContainTextAsync("¥36.00");
        await Expect(page.Locator("#new-badge")).ToHaveTextAsync("1");
        await Expect(page).ToHaveTitleAsync("(1) 门店工作台");
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-queue.png"), FullPage = true });

        await card.GetByRole(AriaRole.Button, new() { Name = "接单" }).ClickAsync();
        await Expect(card).ToBeHiddenAsync();
        await Expect(page.Locator("#new-badge")).ToBeHiddenAsync();
        await Expect(page.Locator("#tab-paid")).ToBeFocusedAsync(); // the accepted card is gone; focus stays in the queue
        await page.GetByRole(AriaRole.Tab, new() { Name = "制作中" }).ClickAsync();
        await Card(page, orderId).GetByRole(AriaRole.Button, new() { Name = "出餐" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "待取货" }).ClickAsync();
        await Expect(Card(page, orderId)).ToContainTextAsync("取货截止");

        // The ticket: on paper only the ticket shows, with the order's lines and total.
        await page.GetByLabel("小票纸宽").SelectOptionAsync("58");
        await Card(page, orderId).GetByRole(AriaRole.Button, new() { Name = "打印小票" }).ClickAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("#ticket")).ToBeVisibleAsync();
        await Expect(page.Locator("#ticket")).ToContainTextAsync("Jasmine milk tea × 2");
        await Expect(page.Locator("#ticket")).ToContainTextAsync("合计 ¥36.00");
        await Expect(page.Locator("#ticket h2")).ToContainTextAsync($"Store {store}");
        await Expect(page.Locator("#workspace")).ToBeHiddenAsync();
        Assert.Equal("58mm", await page.EvaluateAsync<string>("document.body.dataset.paper"));
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Expect(page.Locator("#ticket")).ToBeHiddenAsync();

        var code = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString()!;
        await Section(page, "verify").ClickAsync();
        await page.GetByLabel("取货码（6 位数字）或扫码内容").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询订单" }).ClickAsync();
        // A preview first: nothing is handed over until the clerk confirms.
        await Expect(page.Locator("#preview-order")).ToContainTextAsync("Jasmine milk tea × 2");
        await Expect(page.Locator("#preview-order")).Not.ToContainTextAsync("null"); // a pickup has no note here
        Assert.Equal("ReadyForPickup", await StatusAsync(consumer, orderId));
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-verify.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "确认交付" }).ClickAsync();
        await Expect(page.Locator("#verify-message")).ToHaveTextAsync("核销成功，请交付商品");
        Assert.Equal("PickedUp", await StatusAsync(consumer, orderId));
        Assert.Equal((8, 0, 8), await world.StockAsync(store, sku));

        await Section(page, "orders").ClickAsync();
        await Expect(Card(page, orderId)).ToBeHiddenAsync(); // it left the ready queue
        await page.GetByRole(AriaRole.Tab, new() { Name = "已完成" }).ClickAsync();
        await Expect(Card(page, orderId)).ToContainTextAsync("已取货");
    }

    [Fact]
    public async Task A_wrong_key_a_wrong_code_a_used_code_another_stores_code_and_the_lockout_each_say_what_happened()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        var page = await browser.NewPageAsync(world.App.Host.BaseAddress());
        await page.GotoAsync("/console/");
        await ConsoleBrowser.SignInAsync(page, store, "not-the-key");
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("门店编号或密钥不正确，请核对后重试。");
        await Expect(page.Locator("#workspace")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-wrong-key.png") });
        // Another store's key opens nothing of this store either.
        var otherStore = await world.StoreAsync(100);
        await ConsoleBrowser.SignInAsync(page, store, await world.StoreKeyAsync(otherStore));
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("门店编号或密钥不正确，请核对后重试。");

        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (orderId, code) = await consumer.ReadyPickupAsync(world.App, clerk, store, sku);
        await ConsoleBrowser.SignInAsync(page, store, await world.StoreKeyAsync(store));
        await Section(page, "verify").ClickAsync();

        await LookUpAsync(page, "12ab");
        await Expect(Message(page)).ToHaveTextAsync("请输入 6 位取货码"); // caught in the page: not a guess the store is charged for
        await LookUpAsync(page, $"o2o-pickup:{otherStore}:{code}");
        await Expect(Message(page)).ToHaveTextAsync($"这是「Store {otherStore}」门店的订单，请顾客到该店取货"); // named, and not counted
        await LookUpAsync(page, code);
        await page.GetByRole(AriaRole.Button, new() { Name = "确认交付" }).ClickAsync();
        await Expect(Message(page)).ToHaveTextAsync("核销成功，请交付商品");
        await LookUpAsync(page, code);
        await Expect(Message(page)).ToHaveTextAsync("该取货码已使用，商品已交付");
        Assert.Equal("PickedUp", await StatusAsync(consumer, orderId));

        var wrong = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await LookUpAsync(page, wrong); // each look-up clears the last answer first
            await Expect(Message(page)).ToHaveTextAsync($"取货码不正确，还可再试 {4 - i} 次（之后本店核销暂停 15 分钟）");
        }
        await LookUpAsync(page, wrong);
        await Expect(Message(page)).ToHaveTextAsync("错误次数过多，本店核销已暂停，15 分钟内恢复");
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-lockout.png") });
    }

    [Fact]
    public async Task A_delivery_order_shows_its_courier_and_rider_with_the_buyers_phone_masked()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        var page = await SignedInAsync(world, store);
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(500), (sku, 1)));
        await consumer.PayAsync(world.App, orderId);

        var card = Card(page, orderId);
        await Expect(card).ToContainTextAsync("138****8000");
        await Expect(card).Not.ToContainTextAsync("13800138000");
        await card.GetByRole(AriaRole.Button, new() { Name = "接单" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "制作中" }).ClickAsync();
        await Card(page, orderId).GetByRole(AriaRole.Button, new() { Name = "呼叫骑手" }).ClickAsync();

        // The sandbox rider takes it and delivers within a second; the console follows by polling.
        await page.GetByRole(AriaRole.Tab, new() { Name = "已完成" }).ClickAsync();
        var delivered = Card(page, orderId);
        await Expect(delivered).ToContainTextAsync("已送达");
        await Expect(delivered).ToContainTextAsync("骑手");
        await Expect(delivered.Locator("dd.rider")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\S.* 1\d{2}\*{4}\d{4}$"));
        await Expect(delivered.Locator("dd.courier")).ToHaveTextAsync("达达 · 已送达"); // the platform's name, not its code
    }

    [Fact]
    public async Task After_a_reload_the_console_asks_for_a_touch_to_arm_the_new_order_sound_and_nothing_it_loads_is_missing()
    {
        var world = await StoreWorld.CreateAsync();
        var (_, store) = await world.StockedStoreAsync();
        var page = await SignedInAsync(world, store);
        var missing = new List<string>();
        page.Response += (_, response) => { if (response.Status >= 400) missing.Add($"{response.Status} {response.Url}"); };

        await Expect(page.Locator("#sound-off")).ToBeHiddenAsync(); // the sign-in click armed it
        await page.ReloadAsync(); // still signed in (the key is in this tab's session storage), but nobody touched the page
        await Expect(page.Locator("#workspace")).ToBeVisibleAsync();
        await Expect(page.Locator("#sound-off")).ToHaveTextAsync("点按页面任意处，开启新订单提示音");
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-sound-off.png") });
        await page.Locator("#order-list").ClickAsync();

        await Expect(page.Locator("#sound-off")).ToBeHiddenAsync();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_unit_refunded_before_the_store_accepted_is_struck_through_on_the_card_the_preview_and_the_ticket()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (sku, 2)));
        await consumer.PayAsync(world.App, orderId);
        await AfterSales.AfterSalesClient.OpenCaseAsync(consumer, orderId, AfterSales.AfterSalesClient.Refund((sku, 1)));
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/accept", null)).ReadOkAsync();
        await (await clerk.PostAsync($"stores/{store}/orders/{orderId}/ready", null)).ReadOkAsync();
        var page = await SignedInAsync(world, store);

        await page.GetByRole(AriaRole.Tab, new() { Name = "待取货" }).ClickAsync();
        var card = Card(page, orderId);
        await Expect(card).ToContainTextAsync("Jasmine milk tea × 2 1 · 1 件已退款");
        await Expect(card.Locator(".line-label del")).ToHaveTextAsync("2");
        await Expect(card.Locator("dd.refundedTotal")).ToHaveTextAsync("¥18.00"); // what went back, beside the total paid
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-refunded-unit.png"), FullPage = true });
        await card.GetByRole(AriaRole.Button, new() { Name = "打印小票" }).ClickAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("#ticket")).ToContainTextAsync("Jasmine milk tea × 2 1 · 1 件已退款");
        await Expect(page.Locator("#ticket")).ToContainTextAsync("已退款 ¥18.00");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        var code = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("pickup").GetProperty("code").GetString()!;
        await Section(page, "verify").ClickAsync();
        await LookUpAsync(page, code);
        await Expect(page.Locator("#preview-order .line-label strong")).ToHaveTextAsync("1");
        await Expect(page.Locator("#preview-order")).ToContainTextAsync("1 件已退款");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认交付" }).ClickAsync();
        await Expect(Message(page)).ToHaveTextAsync("核销成功，请交付商品");
        Assert.Equal((9, 0, 9), await world.StockAsync(store, sku));
    }

    [Fact]
    public async Task The_stock_screen_marks_a_sku_sold_out_and_adjusts_its_count_with_a_reason()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync(onHand: 10);
        var page = await SignedInAsync(world, store);
        await Section(page, "stock").ClickAsync();
        var row = page.Locator("#stock-table tbody tr", new() { HasText = sku });
        await Expect(row).ToContainTextAsync("Jasmine milk tea");

        await row.GetByRole(AriaRole.Checkbox).CheckAsync();
        await Expect(page.Locator("#stock-message")).ToHaveTextAsync("已标记售罄");
        Assert.Equal((10, 0, 0), await world.StockAsync(store, sku));
        await Expect(page.Locator($"[id='stock-{sku}-soldout']")).ToBeFocusedAsync(); // the new row's own checkbox, not the page

        await row.GetByRole(AriaRole.Checkbox).UncheckAsync();
        await Expect(page.Locator("#stock-message")).ToHaveTextAsync("已恢复销售");
        await row.GetByLabel("数量变化").FillAsync("-3");
        await row.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("#stock-message")).ToHaveTextAsync("请填写原因");
        await row.GetByLabel("原因").FillAsync("杯子破损");
        await row.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("#stock-message")).ToHaveTextAsync("库存已调整");
        var adjusted = page.Locator("#stock-table tbody tr", new() { HasText = sku });
        await Expect(adjusted.Locator("td").First).ToHaveTextAsync("7");
        await Expect(adjusted).ToContainTextAsync("Jasmine milk tea"); // the answer's row replaces the old one, name and all
        Assert.Equal((7, 0, 7), await world.StockAsync(store, sku));
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-stock.png"), FullPage = true });
    }

    [Fact]
    public async Task The_stock_screen_fits_a_360_pixel_phone_in_both_languages_with_each_count_labelled()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync(onHand: 10);
        var page = await SignedInAsync(world, store, width: 360, height: 740);
        await Section(page, "stock").ClickAsync();
        var row = page.Locator("#stock-table tbody tr", new() { HasText = sku });
        await Expect(row).ToContainTextAsync("Jasmine milk tea");

        foreach (var (language, onHand) in new[] { ("zh", "在库"), ("en", "On hand") })
        {
            if (language == "en") await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
            await Expect(row.Locator("td").First).ToHaveAttributeAsync("data-label", onHand);
            var widths = await page.EvaluateAsync<int[]>(
                "() => [document.documentElement.scrollWidth, window.innerWidth, document.querySelector('#stock-table').scrollWidth, " +
                "document.querySelector('.table-wrap').clientWidth]");
            Assert.True(widths[0] <= widths[1], $"{language}: the page is {widths[0]} px wide on a {widths[1]} px screen");
            Assert.True(widths[2] <= widths[3], $"{language}: the stock table is {widths[2]} px wide in {widths[3]} px");
            await row.GetByLabel(language == "zh" ? "数量变化" : "Change").FillAsync("1"); // the correction's fields are on screen and usable
            await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath($"console-stock-360-{language}.png"), FullPage = true });
        }
        await AccessibilityTests.AssertNoSeriousViolationsAsync(page, "stock at 360 px, English");
    }

    [Fact]
    public async Task The_console_switches_to_english_and_fits_a_360_pixel_phone()
    {
        var world = await StoreWorld.CreateAsync();
        var (sku, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.Delivery(world.At(500), (sku, 1)));
        await consumer.PayAsync(world.App, orderId);
        var page = await SignedInAsync(world, store, width: 360, height: 740);
        await Expect(Card(page, orderId)).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "New" })).ToBeVisibleAsync();
        await Expect(Card(page, orderId).GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToBeVisibleAsync();
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        Assert.True(await page.EvaluateAsync<bool>("document.scrollingElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 360 px");
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-phone-en.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "新订单" })).ToBeVisibleAsync();
        // Every word has both languages: the two dictionaries have the same keys, nested ones included.
        var keys = await page.EvaluateAsync<string[][]>("""
            async () => {
              const { dictionaries } = await import('/console/i18n.js');
              const keys = (o, p = '') => Object.entries(o).flatMap(([k, v]) => typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]);
              return [keys(dictionaries.zh).sort(), keys(dictionaries.en).sort()];
            }
            """);
        Assert.True(keys[0].Length > 100, $"{keys[0].Length} keys");
        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task The_store_key_lives_in_session_storage_only_and_signing_out_forgets_it()
    {
        var world = await StoreWorld.CreateAsync();
        var (_, store) = await world.StockedStoreAsync();
        var key = await world.StoreKeyAsync(store);
        var page = await browser.NewPageAsync(world.App.Host.BaseAddress());
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        await page.GotoAsync("/console/");
        await ConsoleBrowser.SignInAsync(page, store, key);
        await Expect(page.Locator("#workspace")).ToBeVisibleAsync();

        Assert.Equal(key, await page.EvaluateAsync<string>("sessionStorage.getItem('console.key')"));
        Assert.False(await page.EvaluateAsync<bool>("key => Object.values(localStorage).some(v => v.includes(key))", key));
        Assert.DoesNotContain(requested, url => url.Contains(key, StringComparison.Ordinal));
        await page.ReloadAsync();
        await Expect(page.Locator("#workspace")).ToBeVisibleAsync(); // same tab: still signed in

        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('console.key')"));
    }

    [Fact]
    public async Task The_api_reference_page_lists_every_route_of_the_openapi_document()
    {
        var app = await TestApp.Shared;
        var page = await browser.NewPageAsync(app.Host.BaseAddress());
        var document = await app.Http.GetFromJsonAsync<JsonElement>("openapi.json");
        var operations = document.GetProperty("paths").EnumerateObject().Sum(p => p.Value.EnumerateObject().Count());

        await page.GotoAsync("/console/api/");

        await Expect(page.GetByText("POST /api/stores/{storeId}/pickups/verify")).ToBeVisibleAsync();
        Assert.Equal(operations, await page.Locator("#operations article").CountAsync());
    }

    private static ILocator Card(IPage page, string orderId) => page.Locator($"article[data-order-id='{orderId}']");

    private static ILocator Section(IPage page, string name) => page.Locator($"button[data-section={name}]");

    private static ILocator Message(IPage page) => page.Locator("#verify-message");

    [Fact]
    public async Task A_store_closed_for_the_day_tells_its_clerk_why_and_from_when_in_both_languages()
    {
        var world = await StoreWorld.CreateAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new O2O.Application.Stores.StoreSettings().Zone()).DateTime);
        var reopens = today.AddDays(2);
        var store = await world.StoreAsync(0, delivery: false, hours: new
        {
            weekly = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.ToDictionary(d => d, _ => new[] { "09:00-21:00" }),
            exceptions = new[] { today, today.AddDays(1) }.Select(d => new { date = d.ToString("yyyy-MM-dd"), ranges = Array.Empty<string>(), reason = "盘点" }),
        });

        var page = await SignedInAsync(world, store, width: 360, height: 740);

        await Expect(page.Locator("#store-hours")).ToHaveTextAsync($"自提：暂停接单，休息日 (盘点)，{reopens:MM-dd} 09:00 起恢复接单");
        Assert.Equal("false", await page.Locator("#store-hours").GetAttributeAsync("data-taking"));
        await page.ScreenshotAsync(new() { Path = ConsoleBrowser.ScreenshotPath("console-store-closed.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("#store-hours")).ToHaveTextAsync($"Pickup: not taking orders, day off (盘点), again from {reopens:MM-dd} 09:00");
    }

    private Task<IPage> SignedInAsync(StoreWorld world, string store, int width = 1024, int height = 800) =>
        browser.SignedInAsync(world, store, width, height);

    private static async Task LookUpAsync(IPage page, string code)
    {
        await page.GetByLabel("取货码（6 位数字）或扫码内容").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询订单" }).ClickAsync();
    }

    private static async Task<string?> StatusAsync(HttpClient consumer, string orderId) =>
        (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString();
}
