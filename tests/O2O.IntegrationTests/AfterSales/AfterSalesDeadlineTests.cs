using Microsoft.Extensions.Time.Testing;
using O2O.Application.AfterSales;
using O2O.Domain.AfterSales;

namespace O2O.IntegrationTests.AfterSales;

/// <summary>The deadlines, on a clock the test moves and an Azurite of its own (the sweep walks every due order in it).</summary>
public sealed class AfterSalesDeadlineTests
{
    [Fact]
    public async Task A_store_that_does_not_answer_in_time_has_approved_and_the_units_go_back_on_sale()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var scene = await StoreScene.StartAsync(app, openId: openId);
        var (_, world, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        var deadlines = app.Host.Services.GetRequiredService<AfterSalesDeadlines>();

        clock.Advance(AfterSalesPolicy.Default.StoreAnswer - TimeSpan.FromMinutes(1));
        var early = await deadlines.RunAsync(CancellationToken.None);
        using var later = await app.NewConsumerAsync(openId); // two days later: the old session has expired
        var stillAsked = (await later.CasesAsync(orderId)).Single();
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = await deadlines.RunAsync(CancellationToken.None);
        var again = await deadlines.RunAsync(CancellationToken.None);

        Assert.Equal(asked.GetProperty("requestedAt").GetDateTimeOffset() + AfterSalesPolicy.Default.StoreAnswer,
            asked.GetProperty("answerBy").GetDateTimeOffset());
        Assert.Equal(0, early.CasesMoved);
        Assert.Equal("Requested", stillAsked.Stage());
        Assert.Equal(new AfterSalesDeadlines.Sweep(1, 1), due);
        Assert.Equal(new AfterSalesDeadlines.Sweep(0, 0), again); // nothing due any more: the order left the list
        var approved = (await later.CasesAsync(orderId)).Single();
        Assert.Equal("system", approved.GetProperty("reviewedBy").GetString());
        Assert.Equal(1800, approved.GetProperty("refundFen").GetInt64());
        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_return_not_brought_back_in_time_closes_without_a_refund_and_the_units_can_be_asked_for_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var scene = await StoreScene.StartAsync(app, openId: openId);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Return((tea, 1)));
        await (await clerk.AnswerAsync(store, asked.Id(), "approve")).ReadOkAsync();
        var deadlines = app.Host.Services.GetRequiredService<AfterSalesDeadlines>();

        clock.Advance(AfterSalesPolicy.Default.ReturnTime);
        var due = await deadlines.RunAsync(CancellationToken.None);
        var late = await clerk.AnswerAsync(store, asked.Id(), "received", new { restock = true });
        using var later = await app.NewConsumerAsync(openId); // days later: the old session has expired
        var askedAgain = await later.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)));

        Assert.Equal(1, due.CasesMoved);
        var closed = (await later.CasesAsync(orderId)).First();
        Assert.Equal("Closed", closed.Stage());
        Assert.Equal("None", closed.GetProperty("money").GetString());
        await late.ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        await askedAgain.ReadOkAsync(HttpStatusCode.Created); // still within the window: the unit was never refunded
    }

    [Fact]
    public async Task After_the_window_no_case_can_be_opened()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var scene = await StoreScene.StartAsync(app, openId: openId);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea);

        clock.Advance(AfterSalesPolicy.Default.Window + TimeSpan.FromSeconds(1));
        using var later = await app.NewConsumerAsync(openId); // days later: the old session has expired
        var tooLate = await later.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)));

        await tooLate.ReadProblemAsync(HttpStatusCode.Conflict, "after_sales_window_closed");
        Assert.Empty(await later.CasesAsync(orderId));
    }

    [Fact]
    public async Task A_refund_is_asked_for_once_by_the_change_that_decided_it_not_again_by_later_changes_or_the_sweep()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true); // no queue listener: the messages stay to be counted
        using var scene = await StoreScene.StartAsync(app);
        var (_, _, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.PickedUpAsync(app, clerk, store, tea, quantity: 3);
        var refunded = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, refunded.Id(), "approve")).ReadOkAsync();

        var later = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        await (await clerk.AnswerAsync(store, later.Id(), "reject", new { reason = "fine as made" })).ReadOkAsync();
        clock.Advance(AfterSalesService.FollowUpAfter);
        await app.Host.Services.GetRequiredService<AfterSalesDeadlines>().RunAsync(CancellationToken.None);

        var requests = (await app.Queues.GetQueueClient(O2O.Application.Storage.StorageNames.RefundRequestsQueue).PeekMessagesAsync(32)).Value;
        Assert.Equal([refunded.Id()], requests.Select(m => TracedMessage.IdOf(m.Body.ToString())));
    }

    [Fact]
    public async Task A_stock_step_a_crash_cut_short_is_finished_by_the_sweep_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        using var scene = await StoreScene.StartAsync(app);
        var (_, world, tea, store, consumer, clerk) = scene;
        var (orderId, _) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
        var asked = await consumer.OpenCaseAsync(orderId, AfterSalesClient.Refund((tea, 1)));
        // The approval as a request that died right after writing the order: no stock step ran.
        var changes = app.Host.Services.GetRequiredService<OrderChanges>();
        await changes.ApplyAsync(orderId,
            order => order.ApproveAfterSales(asked.Id(), clock.GetUtcNow(), $"store:{store}",
            AfterSalesPolicy.Default, headOffice: false), CancellationToken.None);
        var afterCrash = await world.StockAsync(store, tea);
        var deadlines = app.Host.Services.GetRequiredService<AfterSalesDeadlines>();

        var tooEarly = await deadlines.RunAsync(CancellationToken.None);
        clock.Advance(AfterSalesService.FollowUpAfter);
        var swept = await deadlines.RunAsync(CancellationToken.None);
        clock.Advance(AfterSalesService.FollowUpAfter);
        var reloaded = (await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(O2O.Domain.Orders.OrderIds.ConsumerKeyOf(orderId)!,
            orderId, CancellationToken.None))!.Order;
        await app.Host.Services.GetRequiredService<AfterSalesService>().FinishStepsAsync(reloaded,
            reloaded.AfterSales, CancellationToken.None); // a late retry of the same step

        Assert.Equal((10, 2, 8), afterCrash);
        Assert.Equal(0, tooEarly.Orders);
        Assert.Equal(1, swept.Orders);
        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
    }
}
