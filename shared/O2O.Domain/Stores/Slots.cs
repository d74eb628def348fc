using System.Globalization;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Domain.Stores;

/// <summary>A pickup slot or a delivery window: when the buyer collects, or when the goods reach the door.</summary>
public readonly record struct Slot(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The slot's capacity row in the store's partition: mode and start in UTC, so a change of zone cannot rename it.</summary>
    public string Key(FulfillmentMode mode) =>
        string.Create(CultureInfo.InvariantCulture, $"{mode.ToString().ToLowerInvariant()}|{Start.UtcDateTime:yyyyMMddHHmm}");
}

/// <summary>
/// A store's slots for one mode: windows of <see cref="LengthMinutes"/> laid from each opening of
/// its hours (a store without hours: from midnight), offered from <see cref="LeadMinutes"/> ahead
/// up to <see cref="DaysAhead"/> days on, each taking <see cref="Capacity"/> orders.
/// </summary>
public sealed record SlotPolicy(int LengthMinutes, int LeadMinutes, int DaysAhead, int Capacity)
{
    public const int MinLengthMinutes = 10;
    public const int MaxLengthMinutes = 240;
    public const int MaxLeadMinutes = 24 * 60;

    /// <summary>A week: a scheduled delivery's dispatch waits in its queue, whose messages live at most seven days.</summary>
    public const int MaxDaysAhead = 6;
    public const int MaxCapacity = 10_000;

    private static readonly HoursRange AllDay = new(TimeOnly.MinValue, TimeOnly.MinValue);

    /// <summary>The slots a buyer may choose at <paramref name="now"/>, earliest first, whether or not they have room.</summary>
    public IReadOnlyList<Slot> Offered(DateTimeOffset now, TimeZoneInfo zone, OpeningHours? hours)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var earliest = local.AddMinutes(LeadMinutes);
        var today = DateOnly.FromDateTime(local);
        var length = TimeSpan.FromMinutes(LengthMinutes);
        var slots = new List<DateTime>();
        for (var day = today.AddDays(-1); day <= today.AddDays(DaysAhead); day = day.AddDays(1)) // yesterday's range may run past midnight
            foreach (var (opens, closes) in (hours?.RangesOn(day) ?? [AllDay]).Select(r => r.On(day)))
                for (var start = opens; start + length <= closes; start += length)
                    if (start >= earliest && DateOnly.FromDateTime(start) <= today.AddDays(DaysAhead)) slots.Add(start);
        return [.. slots.Distinct().Order().Select(start => new Slot(Offset(start, zone), Offset(start + length, zone)))];
    }

    private static DateTimeOffset Offset(DateTime local, TimeZoneInfo zone) => new(local, zone.GetUtcOffset(local));

    public static SlotPolicy? Create(string field, SlotPolicyInput? input, ValidationErrors errors)
    {
        if (input is null) return null;
        var own = new ValidationErrors()
            .Range($"{field}.lengthMinutes", input.LengthMinutes, MinLengthMinutes, MaxLengthMinutes)
            .Range($"{field}.leadMinutes", input.LeadMinutes ?? 0, 0, MaxLeadMinutes)
            .Range($"{field}.daysAhead", input.DaysAhead ?? 0, 0, MaxDaysAhead)
            .Range($"{field}.capacity", input.Capacity, 1, MaxCapacity);
        if (!own.IsEmpty)
        {
            errors.AddAll(own);
            return null;
        }
        return new SlotPolicy((int)input.LengthMinutes!.Value, (int)(input.LeadMinutes ?? 0), (int)(input.DaysAhead ?? 0), (int)input.Capacity!.Value);
    }

    public SlotPolicyInput ToInput() => new(LengthMinutes, LeadMinutes, DaysAhead, Capacity);
}

/// <summary>Which modes a store offers slots for; a mode without a policy takes orders for "as soon as possible" only.</summary>
public sealed record StoreSlots(SlotPolicy? Pickup, SlotPolicy? Delivery)
{
    public SlotPolicy? For(FulfillmentMode mode) => mode == FulfillmentMode.Delivery ? Delivery : Pickup;

    public static StoreSlots? Create(SlotsInput? input, ValidationErrors errors)
    {
        if (input is null) return null;
        var slots = new StoreSlots(SlotPolicy.Create("slots.pickup", input.Pickup, errors), SlotPolicy.Create("slots.delivery", input.Delivery, errors));
        return slots is { Pickup: null, Delivery: null } ? null : slots;
    }

    public SlotsInput ToInput() => new(Pickup?.ToInput(), Delivery?.ToInput());
}

/// <summary>Slots as the operator sends them: {"pickup": {"lengthMinutes": 30, "leadMinutes": 30, "daysAhead": 2, "capacity": 10}, "delivery": …}.</summary>
public sealed record SlotsInput(SlotPolicyInput? Pickup, SlotPolicyInput? Delivery);

public sealed record SlotPolicyInput(long? LengthMinutes, long? LeadMinutes, long? DaysAhead, long? Capacity);
