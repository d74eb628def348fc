using O2O.Application.Pickup;
using O2O.Application.Stores;
using O2O.Domain.AfterSales;

namespace O2O.IntegrationTests.AfterSales;

/// <summary>
/// A case asked for while a clerk verifies the pickup code: exactly one of them goes through. The
/// case holds the code before it is written; the verification uses it with the code's ETag.
/// </summary>
public sealed class CaseAndVerificationTests
{
    [Fact]
    public async Task A_case_and_a_verification_at_the_same_moment_never_both_take_the_goods_in_the_store()
    {
        const int Orders = 8;
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync(onHand: 40);
        using var clerk = await world.ClerkAsync(store);
        var outcomes = new List<(HttpStatusCode Verify, string? VerifyCode, HttpStatusCode Case, string? AskedWhile, string Status)>();
        for (var i = 0; i < Orders; i++)
        {
            using var consumer = await app.NewConsumerAsync();
            var (orderId, code) = await consumer.ReadyPickupAsync(app, clerk, store, tea, quantity: 2);
            var verify = clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code });
            var ask = consumer.AskAsync(orderId, AfterSalesClient.Refund((tea, 1)));
            await Task.WhenAll(verify, ask);
            var verified = await verify;
            var asked = await ask;
            var verifyCode = verified.IsSuccessStatusCode
                ? null
                : (await verified.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString();
            var askedWhile = asked.StatusCode == HttpStatusCode.Created
                ? (await asked.ReadOkAsync(HttpStatusCode.Created)).GetProperty("askedWhile").GetString()
                : null;
            var status = (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString()!;
            outcomes.Add((verified.StatusCode, verifyCode, asked.StatusCode, askedWhile, status));
        }

        Assert.All(outcomes, o => Assert.True(
            // The clerk won: the case waits for the handover (409), or comes after it, about goods the buyer has.
            (o is { Verify: HttpStatusCode.OK, Status: "PickedUp" } && (o.Case == HttpStatusCode.Conflict || o.AskedWhile == "PickedUp"))
            // The case won: the clerk is told to wait, the goods stay in the store.
            || (o is
            {
                Verify: HttpStatusCode.Conflict, VerifyCode: "after_sales_open",
                Case: HttpStatusCode.Created, AskedWhile: "ReadyForPickup", Status: "ReadyForPickup"
            }),
            $"verify {o.Verify} {o.VerifyCode}, case {o.Case} asked while {o.AskedWhile}, order {o.Status}"));
        var handedOver = outcomes.Count(o => o.Status == "PickedUp");
        Assert.Equal((40 - 2 * handedOver, 2 * (Orders - handedOver), 40 - 2 * Orders), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_held_code_turns_the_clerk_away_and_a_code_being_used_turns_the_case_away()
    {
        using var scene = await StoreScene.StartAsync();
        var (app, _, tea, store, consumer, clerk) = scene;
        var held = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        var used = await consumer.ReadyPickupAsync(app, clerk, store, tea);
        var pickups = app.Host.Services.GetRequiredService<PickupService>();
        var codes = app.Host.Services.GetRequiredService<StockTable>();

        // A case being opened on the first order: the code is held, the order not yet written.
        var hold = await pickups.HoldForCaseAsync(store, held.Code, AfterSalesIds.For(held.OrderId, 1), CancellationToken.None);
        var turnedAway = await clerk.PostAsJsonAsync($"stores/{store}/pickups/verify", new { code = held.Code });
        // A verification of the second order that used its code and is writing the order.
        var row = (await codes.FindCodeAsync(store, used.Code, CancellationToken.None))!;
        row.State = PickupCodeState.Used;
        row.UsedAt = DateTimeOffset.UtcNow;
        Assert.True(await codes.TrySaveCodeAsync(row, CancellationToken.None));
        var caseTurnedAway = await consumer.AskAsync(used.OrderId, AfterSalesClient.Refund((tea, 1)));

        Assert.Equal(PickupService.Hold.Held, hold);
        await turnedAway.ReadProblemAsync(HttpStatusCode.Conflict, "after_sales_open");
        Assert.Equal(PickupCodeState.Open, (await codes.FindCodeAsync(store, held.Code, CancellationToken.None))!.State);
        await caseTurnedAway.ReadProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Empty(await consumer.CasesAsync(used.OrderId));
    }
}
