using System.Globalization;
using O2O.Application.Stores;

namespace O2O.IntegrationTests.Stores;

/// <summary>
/// Pickup slots and delivery windows over the API: listed with their room, taken with the stock in
/// one transaction, given back by a cancel, and kept through a reroute only where there is room.
/// The stores have no hours (slots around the clock) unless a test says otherwise, so any hour of the day runs them.
/// </summary>
public sealed class SlotTests
{
    private static object Policy(int capacity, int lengthMinutes = 30, int daysAhead = 1) =>
        new { lengthMinutes, leadMinutes = 0, daysAhead, capacity };

    private static async Task<JsonElement> SlotsAsync(StoreWorld world, string query) =>
        await (await world.App.Http.GetAsync($"slots?{query}")).ReadOkAsync();

    private static async Task<IReadOnlyList<(string Start, int Left)>> PickupSlotsAsync(StoreWorld world, string storeId, string sku) =>
        [.. (await SlotsAsync(world, $"mode=pickup&storeId={storeId}&sku={sku}")).GetProperty("slots").EnumerateArray()
            .Select(s => (s.GetProperty("start").GetString()!, s.GetProperty("left").GetInt32()))];

    /// <summary>A slot a few hours ahead, well clear of the lead time while the test runs.</summary>
    private static string Later(IReadOnlyList<(string Start, int Left)> slots) => slots[6].Start;

    private static int LeftIn(IReadOnlyList<(string Start, int Left)> slots, string start) => slots.Single(s => s.Start == start).Left;

    [Fact]
    public async Task An_order_for_a_slot_takes_a_place_with_its_units_and_is_promised_for_it_and_a_cancel_gives_the_place_back()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, preparationMinutes: 10, slots: new { pickup = Policy(2) }, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var slot = Later(await PickupSlotsAsync(world, store, tea));

        var placed = await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 2)).ForSlot(slot))).ReadOkAsync(HttpStatusCode.Created);
        var afterOrder = await PickupSlotsAsync(world, store, tea);
        await (await consumer.PostAsync($"orders/{placed.GetProperty("orderId").GetString()}/cancel", null)).ReadOkAsync();
        var afterCancel = await PickupSlotsAsync(world, store, tea);

        var promise = placed.GetProperty("promise");
        Assert.Equal(DateTimeOffset.Parse(slot, CultureInfo.InvariantCulture), promise.GetProperty("slotStart").GetDateTimeOffset());
        Assert.Equal(promise.GetProperty("slotStart").GetDateTimeOffset(), promise.GetProperty("readyBy").GetDateTimeOffset());
        Assert.Equal(promise.GetProperty("readyBy").GetDateTimeOffset().AddMinutes(-10), promise.GetProperty("startBy").GetDateTimeOffset());
        Assert.Equal((1, 2), (LeftIn(afterOrder, slot), LeftIn(afterCancel, slot)));
        Assert.Equal((5, 0, 5), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_full_slot_is_refused_naming_the_next_slots_with_room_and_nothing_is_held()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, slots: new { pickup = Policy(1) }, stock: [(tea, 5)]);
        using var first = await world.App.NewConsumerAsync();
        using var second = await world.App.NewConsumerAsync();
        var slots = await PickupSlotsAsync(world, store, tea);
        var slot = Later(slots);
        await first.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot(slot));

        var refused = await second.PlaceAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot(slot));

        var detail = (await refused.ReadProblemAsync(HttpStatusCode.Conflict, "slot_full")).GetProperty("detail").GetString()!;
        var next = slots[slots.ToList().FindIndex(s => s.Start == slot) + 1].Start;
        Assert.Contains($"slots with room: {next}", detail, StringComparison.Ordinal);
        Assert.Equal((5, 1, 4), await world.StockAsync(store, tea)); // the first order's unit only
        Assert.Equal(0, LeftIn(await PickupSlotsAsync(world, store, tea), slot));
    }

    [Fact]
    public async Task Twenty_buyers_at_once_for_a_slot_of_five_fill_it_exactly()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, slots: new { pickup = Policy(5) }, stock: [(tea, 50)]);
        var slot = Later(await PickupSlotsAsync(world, store, tea));
        var buyers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.App.NewConsumerAsync()));

        var answers = await Task.WhenAll(buyers.Select(b => b.PlaceAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot(slot))));

        var codes = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            await refused.ReadProblemAsync(HttpStatusCode.Conflict, "slot_full");
        Assert.Equal((50, 5, 45), await world.StockAsync(store, tea));
        Assert.Equal(0, LeftIn(await PickupSlotsAsync(world, store, tea), slot));
        foreach (var buyer in buyers) buyer.Dispose();
    }

    [Fact]
    public async Task The_consistency_check_holds_a_slots_count_to_the_reservations_that_hold_a_place_in_it()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, slots: new { pickup = Policy(5) }, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var slot = Later(await PickupSlotsAsync(world, store, tea));
        await consumer.PlaceOrderAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot(slot));
        var checker = world.App.Host.Services.GetRequiredService<O2O.Application.Operations.ConsistencyChecker>();
        var stock = world.App.Host.Services.GetRequiredService<StockTable>();

        var before = await checker.CheckStoreAsync(store, CancellationToken.None);
        var row = Assert.Single(await stock.ListAllSlotsAsync(store, CancellationToken.None));
        row.Taken = 3; // as if a release had been lost
        await stock.SubmitAsync(new O2O.Application.Storage.PartitionTransaction(store).Add(Azure.Data.Tables.TableTransactionActionType.UpdateReplace, row),
            CancellationToken.None);
        var after = await checker.CheckStoreAsync(store, CancellationToken.None);

        Assert.DoesNotContain(before, f => f.Kind == "slot_mismatch");
        var finding = Assert.Single(after, f => f.Kind == "slot_mismatch");
        Assert.Equal("taken 3, reservations hold 1", finding.Detail);
    }

    [Fact]
    public async Task A_slot_that_is_not_offered_is_refused_and_a_store_closed_now_takes_an_order_for_a_later_day()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new StoreSettings().Zone()).DateTime);
        var hours = new
        {
            weekly = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.ToDictionary(d => d, _ => new[] { "09:00-21:00" }),
            exceptions = new[] { today, today.AddDays(1) }.Select(d => new { date = d.ToString("yyyy-MM-dd"), ranges = Array.Empty<string>(), reason = "盘点" }),
        };
        var store = await world.StoreAsync(0, hours: hours, slots: new { pickup = Policy(3, lengthMinutes: 60, daysAhead: 3) }, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var slots = await PickupSlotsAsync(world, store, tea);
        var dayAfterTomorrow = $"{today.AddDays(2):yyyy-MM-dd}T09:00:00+08:00";

        var now = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)));
        var between = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot($"{today.AddDays(2):yyyy-MM-dd}T09:30:00+08:00"));
        var later = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot(dayAfterTomorrow));

        Assert.Equal(dayAfterTomorrow, slots[0].Start); // nothing today or tomorrow: the holiday
        await now.ReadProblemAsync(HttpStatusCode.Conflict, "store_closed");
        await between.ReadProblemAsync(HttpStatusCode.Conflict, "slot_unavailable");
        var placed = await later.ReadOkAsync(HttpStatusCode.Created);
        Assert.Equal(store, placed.GetProperty("storeId").GetString());
        Assert.Equal((5, 1, 4), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task Delivery_windows_are_found_by_the_address_and_bad_queries_and_slots_get_clear_errors()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, slots: new { delivery = Policy(4, lengthMinutes: 60) }, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var (lat, lng) = world.At(800);

        var windows = await SlotsAsync(world, $"mode=delivery&lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}");
        var window = windows.GetProperty("slots")[3];
        var placed = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(800), (tea, 1)).ForSlot(window.GetProperty("start").GetString()!)))
            .ReadOkAsync(HttpStatusCode.Created);
        var noMode = await world.App.Http.GetAsync($"slots?storeId={store}");
        var noPickupSlots = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot(window.GetProperty("start").GetString()!));
        var garbled = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)).ForSlot("tomorrow at ten"));

        Assert.Equal((store, "delivery"), (windows.GetProperty("storeId").GetString(), windows.GetProperty("mode").GetString()));
        var promise = placed.GetProperty("promise");
        Assert.Equal(window.GetProperty("end").GetDateTimeOffset(), promise.GetProperty("deliveredBy").GetDateTimeOffset());
        Assert.True(promise.GetProperty("readyBy").GetDateTimeOffset() < window.GetProperty("start").GetDateTimeOffset()); // the ride before the window
        Assert.True((await noMode.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("mode", out _));
        await noPickupSlots.ReadProblemAsync(HttpStatusCode.Conflict, "slot_unavailable");
        Assert.True((await garbled.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors")
            .TryGetProperty("fulfillment.slot", out _));
        Assert.Equal((5, 1, 4), await world.StockAsync(store, tea)); // the delivery's unit only
    }

    [Fact]
    public async Task A_rejected_order_keeps_its_slot_at_the_next_store_with_room_and_gives_the_place_back_at_the_first()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var first = await world.StoreAsync(0, slots: new { pickup = Policy(2) }, stock: [(tea, 5)]);
        var full = await world.StoreAsync(1000, slots: new { pickup = Policy(1) }, stock: [(tea, 5)]);
        var next = await world.StoreAsync(2000, slots: new { pickup = Policy(2) }, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        using var other = await world.App.NewConsumerAsync();
        using var firstClerk = await world.ClerkAsync(first);
        var slot = Later(await PickupSlotsAsync(world, first, tea));
        await other.PlaceOrderAsync(Checkout.PickupAt(full, (tea, 1)).ForSlot(slot)); // fills the nearer store's slot
        var orderId = await consumer.PlaceOrderAsync(Checkout.PickupNear(world.At(0), (tea, 1)).ForSlot(slot));
        await consumer.PayAsync(world.App, orderId);

        var moved = await (await firstClerk.PostAsJsonAsync($"stores/{first}/orders/{orderId}/reject", new { reason = "oven broken" })).ReadOkAsync();

        Assert.Equal(next, moved.GetProperty("storeId").GetString());
        Assert.Equal(DateTimeOffset.Parse(slot, CultureInfo.InvariantCulture), moved.GetProperty("promise").GetProperty("slotStart").GetDateTimeOffset());
        Assert.Equal(2, LeftIn(await PickupSlotsAsync(world, first, tea), slot));
        Assert.Equal(0, LeftIn(await PickupSlotsAsync(world, full, tea), slot));
        Assert.Equal(1, LeftIn(await PickupSlotsAsync(world, next, tea), slot));
        Assert.Equal((5, 1, 4), await world.StockAsync(next, tea));
        Assert.Equal((5, 0, 5), await world.StockAsync(first, tea));
    }
}
