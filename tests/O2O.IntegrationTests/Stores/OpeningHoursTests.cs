using O2O.Application.Stores;

namespace O2O.IntegrationTests.Stores;

/// <summary>A store's hours over the API: checkout, routing and the store picker take only a store that takes orders now.</summary>
public sealed class OpeningHoursTests
{
    /// <summary>
    /// Open all day every day, except closed today and tomorrow in the brand's zone (so a test
    /// running across midnight still meets it closed).
    /// </summary>
    private static object ClosedTodayAndTomorrow()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new StoreSettings().Zone()).DateTime);
        return new
        {
            weekly = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.ToDictionary(d => d, _ => new[] { "00:00-00:00" }),
            exceptions = new[] { today, today.AddDays(1) }
                .Select(d => new { date = d.ToString("yyyy-MM-dd"), ranges = Array.Empty<string>(), reason = "盘点" }),
        };
    }

    [Fact]
    public async Task A_store_closed_for_the_day_refuses_an_order_for_now_and_routing_and_the_picker_pass_it_by()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var closed = await world.StoreAsync(0, hours: ClosedTodayAndTomorrow(), stock: [(tea, 5)]);
        var open = await world.StoreAsync(2000, stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var (lat, lng) = world.At(0);

        var atClosed = await consumer.PlaceAsync(Checkout.PickupAt(closed, (tea, 1)));
        var routed = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);
        var picker = await (await world.App.Http.GetAsync($"stores/nearby?lat={StoreWorld.Json(lat)}&lng={StoreWorld.Json(lng)}&sku={tea}")).ReadOkAsync();

        var problem = await atClosed.ReadProblemAsync(HttpStatusCode.Conflict, "store_closed");
        Assert.Contains("holiday: 盘点", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(open, routed.GetProperty("storeId").GetString());
        var listed = picker.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("storeId").GetString()).ToList();
        Assert.Contains(open, listed);
        Assert.DoesNotContain(closed, listed);
        Assert.Equal((5, 0, 5), await world.StockAsync(closed, tea)); // nothing held at the closed store
    }

    [Fact]
    public async Task When_every_store_within_reach_is_closed_the_buyer_is_told_from_when_one_takes_orders_again()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var closed = await world.StoreAsync(0, hours: ClosedTodayAndTomorrow(), stock: [(tea, 5)]);
        using var consumer = await world.App.NewConsumerAsync();
        var afterTomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new StoreSettings().Zone()).DateTime).AddDays(2);

        var near = await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)));
        var delivered = await consumer.PlaceAsync(Checkout.Delivery(world.At(800), (tea, 1)));

        foreach (var refused in new[] { near, delivered })
        {
            var problem = await refused.ReadProblemAsync(HttpStatusCode.Conflict, "store_closed");
            Assert.Contains($"from {afterTomorrow:yyyy-MM-dd}T00:00:00+08:00", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal((5, 0, 5), await world.StockAsync(closed, tea));
    }

    [Fact]
    public async Task A_clerk_reads_its_own_store_with_each_modes_answer_and_no_other_stores_key_opens_it()
    {
        var world = await StoreWorld.CreateAsync();
        var closed = await world.StoreAsync(0, delivery: false, hours: ClosedTodayAndTomorrow());
        var other = await world.StoreAsync(100);

        var own = await (await (await world.ClerkAsync(closed)).GetAsync($"stores/{closed}")).ReadOkAsync();
        var foreign = await (await world.ClerkAsync(other)).GetAsync($"stores/{closed}");

        Assert.Equal($"Store {closed}", own.GetProperty("name").GetString());
        var pickup = Assert.Single(own.GetProperty("modes").EnumerateArray());
        Assert.Equal(("pickup", false, "holiday", "盘点"), (pickup.GetProperty("mode").GetString(), pickup.GetProperty("taking").GetBoolean(),
            pickup.GetProperty("closedReason").GetString(), pickup.GetProperty("note").GetString()));
        await foreign.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Hours_are_kept_with_the_store_and_bad_hours_are_refused_field_by_field_with_nothing_written()
    {
        var world = await StoreWorld.CreateAsync();
        var storeId = await world.StoreAsync(0, hours: new
        {
            weekly = new Dictionary<string, string[]> { ["mon"] = ["09:00-21:00"], ["fri"] = ["09:00-12:00", "22:00-02:00"] },
            pickupCutoffMinutes = 15,
        });
        var (lat, lng) = world.At(0);

        var bad = await world.App.Admin.PutJsonAsync($"admin/stores/{storeId}", new
        {
            name = "Store", lat, lng, pickup = true, delivery = true, deliveryRadiusM = 5000, open = true,
            hours = new { weekly = new Dictionary<string, string[]> { ["mon"] = ["9 to 5"] } },
        });
        var kept = await (await world.App.Admin.GetAsync($"admin/stores/{storeId}")).ReadOkAsync();

        var problem = await bad.ReadProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("hours.weekly.mon[0]", out _));
        var hours = kept.GetProperty("hours");
        Assert.Equal(["09:00-12:00", "22:00-02:00"], hours.GetProperty("weekly").GetProperty("fri").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal((15, 0), (hours.GetProperty("pickupCutoffMinutes").GetInt32(), hours.GetProperty("deliveryCutoffMinutes").GetInt32()));
    }
}
