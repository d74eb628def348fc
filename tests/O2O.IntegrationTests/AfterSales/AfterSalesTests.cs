using O2O.Application.Payments;
using O2O.Application.Payments.WeChatPay;

namespace O2O.IntegrationTests.AfterSales;

public sealed class AfterSalesTests
{
    [Fact]
    public async Task Two_partial_cases_refund_exactly_their_lines_and_a_third_cannot_ask_for_more_than_was_bought()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, world, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea, quantity: 3);

        var first = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        var second = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 2)));
        var third = await consumer.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, first.Id(), "approve")).ReadOkAsync();
        await (await clerk.AnswerAsync(store, second.Id(), "approve")).ReadOkAsync();
        var firstDone = await consumer.EventuallyAsync(orderId, first.Id(), "Refunded");
        var secondDone = await consumer.EventuallyAsync(orderId, second.Id(), "Refunded");

        var problem = await third.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("not refunded or in another case",
            problem.GetProperty("errors").GetProperty("lines[0].quantity")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1800, firstDone.GetProperty("refundFen").GetInt64());
        Assert.Equal(3600, secondDone.GetProperty("refundFen").GetInt64());
        var refunds = app.Host.Services.GetRequiredService<WeChatPaySandbox>().Refunds;
        Assert.Equal(1800, refunds[first.Id()].Amount);
        Assert.Equal(3600, refunds[second.Id()].Amount);
        Assert.Equal(2, refunds.Keys.Count(k => k.StartsWith(orderId, StringComparison.Ordinal)));
        // Everything paid is refunded: WeChat Pay (its sandbox) refuses even one fen more.
        await Assert.ThrowsAsync<WeChatPayException>(() => app.Host.Services.GetRequiredService<WeChatPayClient>()
            .RefundAsync(orderId, orderId + "-x", 1,
                firstDone.GetProperty("refundFen").GetInt64() + secondDone.GetProperty("refundFen").GetInt64(), CancellationToken.None));
        Assert.Equal((7, 0, 7), await world.StockAsync(store, tea)); // refund-only after pickup: the goods stay with the buyer
    }

    [Fact]
    public async Task A_retried_refund_request_asks_WeChat_Pay_under_the_same_out_refund_no_and_a_repeated_request_answers_the_same_case()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea, quantity: 2);
        var refundService = app.Host.Services.GetRequiredService<RefundService>();

        var opened = await consumer.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)), "key-1");
        var repeated = await consumer.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)), "key-1");
        var reused = await consumer.AskAsync(orderId, AfterSalesClient.Refund((tea, 2)), "key-1");
        var caseId = (await opened.ReadOkAsync(HttpStatusCode.Created)).Id();
        await (await clerk.AnswerAsync(store, caseId, "approve")).ReadOkAsync();
        await (await clerk.AnswerAsync(store, caseId, "approve")).ReadOkAsync(); // again: nothing new
        await refundService.ExecuteAsync(caseId, CancellationToken.None); // the ExecuteRefund function's work, retried
        await refundService.ExecuteAsync(caseId, CancellationToken.None);
        await consumer.EventuallyAsync(orderId, caseId, "Refunded");

        Assert.Equal(caseId, (await repeated.ReadOkAsync()).Id());
        await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Single(await consumer.CasesAsync(orderId));
        var refunds = app.Host.Services.GetRequiredService<WeChatPaySandbox>().Refunds;
        Assert.Equal(1800, Assert.Single(refunds, r => r.Key.StartsWith(orderId, StringComparison.Ordinal)).Value.Amount);
        Assert.Equal(caseId, Assert.Single(refunds, r => r.Key.StartsWith(orderId, StringComparison.Ordinal)).Key);
    }

    [Fact]
    public async Task A_case_above_the_store_limit_is_refused_to_the_store_and_approved_by_head_office()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var cake = await world.SkuAsync(priceFen: 30_000, name: "Whole mango cake");
        var store = await world.StoreAsync(0, stock: [(cake, 5)]);
        using var consumer = await app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, cake, quantity: 2);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((cake, 2)));

        var byStore = await clerk.AnswerAsync(store, asked.Id(), "approve");
        var listed = await (await clerk.GetAsync($"stores/{store}/after-sales?status=Requested")).ReadOkAsync();
        var byHeadOffice = await app.Admin.PostAsync($"admin/after-sales/{asked.Id()}/approve", null);

        await byStore.ReadProblemAsync(HttpStatusCode.Forbidden, "approval_limit_exceeded");
        Assert.True(asked.GetProperty("needsHeadOffice").GetBoolean());
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), c => c.Id() == asked.Id() && c.GetProperty("needsHeadOffice").GetBoolean());
        var approved = await byHeadOffice.ReadOkAsync();
        Assert.Equal("headoffice", approved.GetProperty("reviewedBy").GetString());
        Assert.Equal(60_000, (await consumer.EventuallyAsync(orderId, asked.Id(), "Refunded")).GetProperty("refundFen").GetInt64());
    }

    [Fact]
    public async Task A_refund_split_into_cases_below_the_limit_still_needs_head_office_which_lists_it_until_it_answers()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var cake = await world.SkuAsync(priceFen: 20_000, name: "Whole mango cake"); // the limit is 50,000: two fit, three do not
        var store = await world.StoreAsync(0, stock: [(cake, 5)]);
        using var consumer = await app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, cake, quantity: 3);
        var whole = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((cake, 3)));
        await (await clerk.AnswerAsync(store, whole.Id(), "approve")).ReadProblemAsync(HttpStatusCode.Forbidden, "approval_limit_exceeded");
        await (await consumer.PostAsync($"orders/{orderId}/after-sales/{whole.Id()}/cancel", null)).ReadOkAsync();
        var parts = new List<JsonElement>();
        for (var i = 0; i < 3; i++) parts.Add(await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((cake, 1))));

        var answers = new List<HttpResponseMessage>();
        foreach (var part in parts) answers.Add(await clerk.AnswerAsync(store, part.Id(), "approve"));
        var waiting = await EventuallyWaitingAsync(app, parts.Select(p => p.Id()).ToList());
        await (await app.Admin.PostAsync($"admin/after-sales/{parts[0].Id()}/reject",
            JsonContent.Create(new { reason = "three cakes were collected and eaten" }))).ReadOkAsync();
        var afterAnswer = await HeadOfficeListAsync(app);

        // Three cases of 20,000 each refund 60,000 in all, above the store's 50,000: the store approves none of them.
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode));
        Assert.Equal(parts.Select(p => p.Id()), waiting.Select(c => c.Id()));
        Assert.All(waiting, c => Assert.True(c.GetProperty("needsHeadOffice").GetBoolean()));
        Assert.DoesNotContain(afterAnswer, c => parts.Any(p => p.Id() == c.Id())); // 40,000 left: the store may approve the others now
        await (await clerk.AnswerAsync(store, parts[1].Id(), "approve")).ReadOkAsync();
        await (await app.Admin.GetAsync("admin/after-sales?state=everything")).ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await app.Admin.GetAsync("admin/after-sales?state=needsHeadOffice&pageSize=0")).ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await app.Admin.GetAsync("admin/after-sales?state=needsHeadOffice&continuationToken=not-ours")).ReadProblemAsync(HttpStatusCode.BadRequest,
            "validation_failed");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/admin/after-sales?state=needsHeadOffice")).StatusCode);
    }

    private static async Task<List<JsonElement>> HeadOfficeListAsync(TestApp app)
    {
        var all = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await (await app.Admin.GetAsync("admin/after-sales?state=needsHeadOffice&pageSize=50"
                + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).ReadOkAsync();
            all.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (token is not null);
        return all;
    }

    /// <summary>The list follows the cases' events, published just after each change: wait until all of <paramref name="caseIds"/> are there, oldest
    /// first.</summary>
    private static async Task<List<JsonElement>> EventuallyWaitingAsync(TestApp app, IReadOnlyList<string> caseIds)
    {
        for (var i = 0; i < 100; i++)
        {
            var listed = (await HeadOfficeListAsync(app)).Where(c => caseIds.Contains(c.Id())).ToList();
            if (listed.Count == caseIds.Count) return listed;
            await Task.Delay(100);
        }
        Assert.Fail("the cases never reached head office's list");
        return [];
    }

    [Fact]
    public async Task While_a_case_waits_the_goods_are_not_handed_over_and_once_it_is_rejected_they_are()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, world, tea, store, consumer, clerk) = scene;
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));

        var blocked = await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code });
        var noReason = await clerk.AnswerAsync(store, asked.Id(), "reject", new { });
        var rejected = await (await clerk.AnswerAsync(store, asked.Id(), "reject", new { reason = "the tea was fine when made" })).ReadOkAsync();
        var verified = await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();

        await blocked.ReadProblemAsync(HttpStatusCode.Conflict, "after_sales_open");
        await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("Rejected", rejected.Stage());
        Assert.Equal("PickedUp", verified.GetProperty("status").GetString());
        Assert.Equal((8, 0, 8), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_refund_before_the_goods_leave_puts_its_units_back_on_sale_and_the_clerk_hands_over_the_rest()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, world, tea, store, consumer, clerk) = scene;
        var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 3);

        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        var approved = await (await clerk.AnswerAsync(store, asked.Id(), "approve")).ReadOkAsync();
        var afterApproval = await world.StockAsync(store, tea);
        await (await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code })).ReadOkAsync();

        Assert.Equal("ReadyForPickup", asked.GetProperty("askedWhile").GetString());
        Assert.Equal("Refunding", approved.Stage());
        Assert.Equal((10, 2, 8), afterApproval);
        Assert.Equal((8, 0, 8), await world.StockAsync(store, tea)); // two units handed over, the refunded one on sale
        Assert.Equal(1800, (await consumer.EventuallyAsync(orderId, asked.Id(), "Refunded")).GetProperty("refundFen").GetInt64());
    }

    [Fact]
    public async Task Before_the_store_accepts_a_refund_is_approved_at_once_and_refunding_every_unit_ends_the_order()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 2)));
        await consumer.PayAsync(app, orderId);

        var one = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        var midway = await world.StockAsync(store, tea);
        var other = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));

        Assert.Equal("Refunding", one.Stage());
        Assert.Equal("system", one.GetProperty("reviewedBy").GetString());
        Assert.Equal((10, 1, 9), midway);
        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        var order = await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.False(order.TryGetProperty("refund", out _)); // the cases refunded everything; the order has no refund of its own
        await consumer.EventuallyAsync(orderId, one.Id(), "Refunded");
        await consumer.EventuallyAsync(orderId, other.Id(), "Refunded");
        var refunds = app.Host.Services.GetRequiredService<WeChatPaySandbox>().Refunds;
        Assert.Equal(3600, refunds.Where(r => r.Key.StartsWith(orderId, StringComparison.Ordinal)).Sum(r => r.Value.Amount));
    }

    [Fact]
    public async Task A_return_is_refunded_when_the_store_receives_the_goods_which_go_back_on_sale_or_to_the_damaged_count()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, world, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea, quantity: 3);

        var resold = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Return((tea, 2)));
        var broken = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Return((tea, 1)));
        var awaiting = await (await clerk.AnswerAsync(store, resold.Id(), "approve")).ReadOkAsync();
        await (await clerk.AnswerAsync(store, broken.Id(), "approve")).ReadOkAsync();
        var withoutChoice = await clerk.AnswerAsync(store, resold.Id(), "received", new { });
        await (await clerk.AnswerAsync(store, resold.Id(), "received", new { restock = true })).ReadOkAsync();
        await (await clerk.AnswerAsync(store, broken.Id(), "received", new { restock = false })).ReadOkAsync();
        await (await clerk.AnswerAsync(store, broken.Id(), "received", new { restock = false })).ReadOkAsync(); // again: counted once

        Assert.Equal("AwaitingReturn", awaiting.Stage());
        await withoutChoice.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(3600, (await consumer.EventuallyAsync(orderId, resold.Id(), "Refunded")).GetProperty("refundFen").GetInt64());
        Assert.Equal(1800, (await consumer.EventuallyAsync(orderId, broken.Id(), "Refunded")).GetProperty("refundFen").GetInt64());
        Assert.Equal((9, 0, 9), await world.StockAsync(store, tea)); // 10 − 3 handed over + 2 back on sale
        var row = await (await app.Admin.GetAsync($"admin/stores/{store}/stock/{tea}")).ReadOkAsync();
        Assert.Equal(1, row.GetProperty("damaged").GetInt32());
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_problem_json_and_write_nothing()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var other = await world.SkuAsync();
        using var consumer = await app.NewConsumerAsync();
        using var stranger = await app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea, quantity: 2);

        var tooMany = await consumer.AskAsync(orderId, AfterSalesClient.Refund((tea, 3)));
        var notOnOrder = await consumer.AskAsync(orderId, AfterSalesClient.Refund((other, 1)));
        var notMine = await stranger.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        var noType = await consumer.AskAsync(orderId, new
        {
            lines = new[] { new { sku = tea,
            quantity = 1 } }, reason = "x", photos = new[] { "http://insecure.example.com/a.jpg" }
        });
        var noKey = await consumer.SendAsync(new HttpRequestMessage(HttpMethod.Post,
            $"orders/{orderId}/after-sales")
        { Content = JsonContent.Create(AfterSalesClient.Refund((tea, 1))) });
        var unpaid = await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)));
        var beforePayment = await consumer.AskAsync(unpaid, AfterSalesClient.Refund((tea, 1)));

        Assert.Contains("more than",
            (await tooMany.ReadProblemAsync(HttpStatusCode.BadRequest,
            "validation_failed")).GetProperty("errors").GetProperty("lines[0].quantity")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("is not on this order",
            (await notOnOrder.ReadProblemAsync(HttpStatusCode.BadRequest,
            "validation_failed")).GetProperty("errors").GetProperty("lines[0].sku")[0].GetString());
        await notMine.ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        var errors = (await noType.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("type", out _));
        Assert.True(errors.TryGetProperty("photos[0]", out _));
        await noKey.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await beforePayment.ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.Empty(await consumer.CasesAsync(orderId));
        Assert.Empty((await (await clerk.GetAsync($"stores/{store}/after-sales")).ReadOkAsync()).GetProperty("items").EnumerateArray());
        await (await clerk.GetAsync($"stores/{store}/after-sales?status=Lost")).ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal((8, 1, 7), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_store_sees_only_its_own_cases()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var (_, otherStore) = await world.StockedStoreAsync();
        using var consumer = await app.NewConsumerAsync();
        using var clerk = await world.ClerkAsync(store);
        using var otherClerk = await world.ClerkAsync(otherStore);
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));

        var byOther = await otherClerk.AnswerAsync(otherStore, asked.Id(), "approve");
        var withOtherKey = await otherClerk.AnswerAsync(store, asked.Id(), "approve");

        await byOther.ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.Unauthorized, withOtherKey.StatusCode);
        Assert.Equal("Requested", (await consumer.CasesAsync(orderId)).Single().Stage());
    }
}
