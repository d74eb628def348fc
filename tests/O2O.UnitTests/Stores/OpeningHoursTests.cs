using O2O.Application.Stores;
using O2O.Domain.Common;
using O2O.Domain.Orders;
using O2O.Domain.Stores;

namespace O2O.UnitTests.Stores;

public sealed class OpeningHoursTests
{
    private static readonly TimeZoneInfo Shanghai = new StoreSettings().Zone();

    /// <summary>Every day 09:00–21:00, Fridays also 22:00–02:00; pickup orders stop 15 minutes before closing, deliveries 30.</summary>
    private static OpeningHours Hours(params HoursExceptionInput[] exceptions)
    {
        var errors = new ValidationErrors();
        var weekly = new[] { "mon", "tue", "wed", "thu", "sat", "sun" }.ToDictionary(d => d, _ => (IReadOnlyList<string>)["09:00-21:00"]);
        weekly["fri"] = ["09:00-21:00", "22:00-02:00"];
        var hours = OpeningHours.Create(new OpeningHoursInput(weekly, exceptions, 15, 30), errors)!;
        Assert.True(errors.IsEmpty);
        return hours;
    }

    private static DateTimeOffset At(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-03-02T20:44:59", FulfillmentMode.Pickup, true)] // a Monday, the last second before the pickup cut-off
    [InlineData("2026-03-02T20:45:00", FulfillmentMode.Pickup, false)] // the cut-off minute exactly
    [InlineData("2026-03-02T20:29:59", FulfillmentMode.Delivery, true)]
    [InlineData("2026-03-02T20:30:00", FulfillmentMode.Delivery, false)]
    [InlineData("2026-03-02T09:00:00", FulfillmentMode.Pickup, true)] // opening minute
    [InlineData("2026-03-02T08:59:59", FulfillmentMode.Pickup, false)]
    public void Orders_are_taken_from_the_opening_minute_until_the_modes_cut_off_before_closing(string local, FulfillmentMode mode, bool taking) =>
        Assert.Equal(taking, Hours().At(At(local), Shanghai, mode).Taking);

    [Fact]
    public void Within_the_cut_off_the_store_says_so_and_when_it_takes_orders_again()
    {
        var open = Hours().At(At("2026-03-02T12:00:00"), Shanghai, FulfillmentMode.Pickup);
        var late = Hours().At(At("2026-03-02T20:50:00"), Shanghai, FulfillmentMode.Pickup);

        Assert.Equal(At("2026-03-02T20:45:00"), open.OrderBefore);
        Assert.Equal((false, StoreHoursNow.PastCutoff, At("2026-03-03T09:00:00")), (late.Taking, late.ClosedReason, late.OpensAt));
    }

    [Theory]
    [InlineData("2026-03-06T23:00:00", true)] // Friday night
    [InlineData("2026-03-07T01:44:59", true)] // Saturday, in Friday's range
    [InlineData("2026-03-07T01:45:00", false)] // its cut-off
    [InlineData("2026-03-07T02:30:00", false)]
    [InlineData("2026-03-06T21:30:00", false)] // between Friday's two ranges
    public void A_range_past_midnight_belongs_to_the_day_it_opens(string local, bool taking) =>
        Assert.Equal(taking, Hours().At(At(local), Shanghai, FulfillmentMode.Pickup).Taking);

    [Fact]
    public void Between_two_ranges_the_store_takes_orders_again_at_the_next_one()
    {
        var gap = Hours().At(At("2026-03-06T21:30:00"), Shanghai, FulfillmentMode.Pickup);

        Assert.Equal((StoreHoursNow.OutsideHours, At("2026-03-06T22:00:00")), (gap.ClosedReason, gap.OpensAt));
    }

    [Fact]
    public void A_holiday_closes_the_day_with_its_reason_and_special_hours_replace_the_weeks()
    {
        var hours = Hours(new HoursExceptionInput("2026-10-01", [], "国庆节"), new HoursExceptionInput("2026-10-02", ["10:00-16:00"]));

        var holiday = hours.At(At("2026-10-01T12:00:00"), Shanghai, FulfillmentMode.Pickup);
        var special = hours.At(At("2026-10-02T12:00:00"), Shanghai, FulfillmentMode.Pickup);
        var afterSpecial = hours.At(At("2026-10-02T17:00:00"), Shanghai, FulfillmentMode.Pickup); // the week says open until 21:00

        Assert.Equal((false, StoreHoursNow.Holiday, "国庆节", At("2026-10-02T10:00:00")),
            (holiday.Taking, holiday.ClosedReason, holiday.Note, holiday.OpensAt));
        Assert.Equal(At("2026-10-02T15:45:00"), special.OrderBefore);
        Assert.Equal((false, StoreHoursNow.OutsideHours, At("2026-10-03T09:00:00")), (afterSpecial.Taking, afterSpecial.ClosedReason, afterSpecial.OpensAt));
    }

    [Fact]
    public void The_hours_are_read_in_the_brands_time_zone()
    {
        var instant = DateTimeOffset.Parse("2026-03-02T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture); // 10:00 in Shanghai

        Assert.True(Hours().At(instant, Shanghai, FulfillmentMode.Pickup).Taking);
        Assert.False(Hours().At(instant, TimeZoneInfo.Utc, FulfillmentMode.Pickup).Taking);
        Assert.Equal(TimeSpan.FromHours(8), Shanghai.GetUtcOffset(instant));
        Assert.Throws<InvalidOperationException>(() => new StoreSettings { TimeZone = "Mars/Olympus_Mons" }.Zone());
    }

    [Fact]
    public void A_day_left_out_is_closed_and_all_day_is_00_00_to_00_00()
    {
        var errors = new ValidationErrors();
        var hours = OpeningHours.Create(new OpeningHoursInput(new Dictionary<string, IReadOnlyList<string>> { ["mon"] = ["00:00-00:00"] }), errors)!;

        Assert.True(hours.At(At("2026-03-02T23:59:00"), Shanghai, FulfillmentMode.Pickup).Taking);
        var tuesday = hours.At(At("2026-03-03T00:00:00"), Shanghai, FulfillmentMode.Pickup);
        Assert.Equal((false, At("2026-03-09T00:00:00")), (tuesday.Taking, tuesday.OpensAt)); // the next Monday
    }

    [Fact]
    public void Bad_hours_are_named_field_by_field()
    {
        var errors = new ValidationErrors();
        OpeningHours.Create(new OpeningHoursInput(
            new Dictionary<string, IReadOnlyList<string>> { ["monday"] = ["09:00-21:00"], ["tue"] = ["9-21", "25:00-26:00"] },
            [new HoursExceptionInput("2026-10-01", []), new HoursExceptionInput("2026-10-01", []), new HoursExceptionInput("10/01", [])],
            PickupCutoffMinutes: 300), errors);

        var fields = errors.ToError().FieldErrors!.Keys.Order().ToList();
        Assert.Equal(["hours.exceptions[1].date", "hours.exceptions[2].date", "hours.pickupCutoffMinutes", "hours.weekly.monday",
            "hours.weekly.tue[0]", "hours.weekly.tue[1]"], fields);
    }

    [Fact]
    public void Hours_written_back_as_the_operator_sends_them_read_the_same()
    {
        var hours = Hours(new HoursExceptionInput("2026-10-01", [], "国庆节"));
        var errors = new ValidationErrors();

        var again = OpeningHours.Create(hours.ToInput(), errors)!;

        Assert.True(errors.IsEmpty);
        Assert.Equal(hours.ToInput().Weekly!.OrderBy(d => d.Key).Select(d => (d.Key, string.Join(',', d.Value))),
            again.ToInput().Weekly!.OrderBy(d => d.Key).Select(d => (d.Key, string.Join(',', d.Value))));
        Assert.Equal(("2026-10-01", "国庆节"), (again.ToInput().Exceptions![0].Date, again.ToInput().Exceptions![0].Reason));
    }
}
