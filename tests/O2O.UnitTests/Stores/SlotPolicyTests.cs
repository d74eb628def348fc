using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.UnitTests.Stores;

public sealed class SlotPolicyTests
{
    private static readonly TimeZoneInfo Shanghai = new StoreSettings().Zone();

    /// <summary>Every day 09:00–12:00 and 14:00–15:00; Fridays also 22:00–01:00 (past midnight).</summary>
    private static OpeningHours Hours(params HoursExceptionInput[] exceptions)
    {
        var weekly = new[] { "mon", "tue", "wed", "thu", "sat", "sun" }
            .ToDictionary(d => d, _ => (IReadOnlyList<string>)["09:00-12:00", "14:00-15:00"]);
        weekly["fri"] = ["09:00-12:00", "14:00-15:00", "22:00-01:00"];
        return OpeningHours.Create(new OpeningHoursInput(weekly, exceptions), new ValidationErrors())!;
    }

    private static DateTimeOffset At(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Starts(IEnumerable<Slot> slots) =>
        [.. slots.Select(s => s.Start.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void Slots_are_laid_from_each_opening_and_only_whole_slots_fit_before_closing()
    {
        // 09:00-12:00 in 45-minute slots: 09:00, 09:45, 10:30 (11:15 would end at 12:00 exactly, so it fits); 14:00-15:00 takes one.
        var slots = new SlotPolicy(45, 0, 0, 5).Offered(At("2026-03-02T07:00:00"), Shanghai, Hours());

        Assert.Equal(["03-02 09:00", "03-02 09:45", "03-02 10:30", "03-02 11:15", "03-02 14:00"], Starts(slots));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(45), s.End - s.Start));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(8), s.Start.Offset)); // in the brand's zone, as the buyer reads them
    }

    [Theory]
    [InlineData("2026-03-02T09:59:59", "03-02 10:30")] // 30 minutes' lead: 10:30 is the first start at or after 10:29:59
    [InlineData("2026-03-02T10:00:00", "03-02 10:30")] // a start exactly at now + lead is offered
    [InlineData("2026-03-02T10:00:01", "03-02 11:00")]
    [InlineData("2026-03-02T14:45:00", "03-03 09:00")] // nothing left today: tomorrow's first
    public void The_first_slot_offered_starts_no_sooner_than_the_lead_time(string now, string first) =>
        Assert.Equal(first, Starts(new SlotPolicy(30, 30, 1, 5).Offered(At(now), Shanghai, Hours()))[0]);

    [Fact]
    public void Days_ahead_bound_the_list_and_a_holiday_offers_none()
    {
        var holiday = new HoursExceptionInput("2026-03-03", [], "盘点");
        var slots = new SlotPolicy(60, 0, 2, 5).Offered(At("2026-03-02T07:00:00"), Shanghai, Hours(holiday));

        // Monday and Wednesday, four slots each; Tuesday is closed; Thursday is beyond two days ahead.
        Assert.Equal(["03-02 09:00", "03-02 10:00", "03-02 11:00", "03-02 14:00", "03-04 09:00", "03-04 10:00", "03-04 11:00", "03-04 14:00"],
            Starts(slots));
    }

    [Fact]
    public void A_range_past_midnight_lays_its_slots_into_the_next_day()
    {
        // Friday 2026-03-06 22:00-01:00; asked on Saturday at 00:10, the Friday range still offers 00:30 (Saturday's own starts at 09:00).
        var slots = new SlotPolicy(30, 0, 0, 5).Offered(At("2026-03-07T00:10:00"), Shanghai, Hours());

        Assert.Equal(["03-07 00:30", "03-07 09:00"], Starts(slots).Take(2));
    }

    [Fact]
    public void A_store_without_hours_offers_slots_around_the_clock_and_the_zone_decides_the_day()
    {
        var now = At("2026-03-02T07:00:00"); // 23:00 on 03-01 in UTC
        var policy = new SlotPolicy(120, 0, 1, 5);

        var inUtc = policy.Offered(now, TimeZoneInfo.Utc, hours: null);
        var inShanghai = policy.Offered(now, Shanghai, hours: null);

        // UTC: nothing is left on 03-01 after 23:00, so 03-02's twelve; Shanghai: 08:00 to 22:00 on 03-02, then 03-03's twelve.
        Assert.Equal(12, inUtc.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), inUtc[0].Start);
        Assert.Equal(20, inShanghai.Count);
        Assert.Equal(At("2026-03-02T08:00:00"), inShanghai[0].Start);
        Assert.Equal(At("2026-03-03T22:00:00"), inShanghai[^1].Start);
    }

    [Fact]
    public void A_slots_key_is_its_mode_and_its_start_in_utc()
    {
        var slot = new Slot(At("2026-03-02T10:30:00"), At("2026-03-02T11:00:00"));

        Assert.Equal("pickup|202603020230", slot.Key(FulfillmentMode.Pickup));
        Assert.Equal("delivery|202603020230", slot.Key(FulfillmentMode.Delivery));
    }

    [Fact]
    public void Bad_policies_are_refused_field_by_field()
    {
        var errors = new ValidationErrors();
        StoreSlots.Create(new SlotsInput(new SlotPolicyInput(5, -1, 7, 0), new SlotPolicyInput(null, null, null, null)), errors);

        var fields = errors.ToError().FieldErrors!.Keys.Order().ToArray();
        Assert.Equal(["slots.delivery.capacity", "slots.delivery.lengthMinutes", "slots.pickup.capacity", "slots.pickup.daysAhead",
            "slots.pickup.leadMinutes", "slots.pickup.lengthMinutes"], fields);
    }

    [Fact]
    public void A_store_offers_slots_only_for_a_mode_it_serves()
    {
        var errors = new ValidationErrors();
        var input = new StoreInput("Store", 31.2, 121.4, Pickup: false, Delivery: true, DeliveryRadiusM: 3000, Open: true,
            Slots: new SlotsInput(new SlotPolicyInput(30, 0, 1, 5), null));

        var store = Store.Create("S-1", input);

        Assert.False(store.IsSuccess);
        Assert.Equal(["slots.pickup"], store.Error.FieldErrors!.Keys);
    }

    [Fact]
    public void A_switched_off_store_offers_no_slot_and_a_rerouted_order_may_take_one_inside_the_lead()
    {
        var created = Store.Create("S-1", new StoreInput("Store", 31.2, 121.4, true, false, 0, true,
            Slots: new SlotsInput(new SlotPolicyInput(30, 60, 0, 5), null))).Value!;
        var store = created with { Hours = Hours() };
        var now = At("2026-03-02T10:00:00");

        Assert.Equal("03-02 11:00", Starts(store.OfferedSlots(now, Shanghai, FulfillmentMode.Pickup))[0]);
        Assert.Equal("03-02 10:00", Starts(store.OfferedSlots(now, Shanghai, FulfillmentMode.Pickup, rerouting: true))[0]);
        Assert.Empty((store with { Open = false }).OfferedSlots(now, Shanghai, FulfillmentMode.Pickup));
        Assert.Empty(store.OfferedSlots(now, Shanghai, FulfillmentMode.Delivery));
    }
}
