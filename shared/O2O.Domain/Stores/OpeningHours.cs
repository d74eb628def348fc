using System.Globalization;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Domain.Stores;

/// <summary>A range of the day, "09:00-21:00"; one that closes at or before it opens runs past midnight ("22:00-02:00"; "00:00-00:00" is all day).</summary>
public readonly record struct HoursRange(TimeOnly Opens, TimeOnly Closes)
{
    public static bool TryParse(string? text, out HoursRange range)
    {
        range = default;
        var parts = text?.Split('-');
        if (parts is not [var opens, var closes]
            || !TimeOnly.TryParseExact(opens.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(closes.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)) return false;
        range = new HoursRange(from, to);
        return true;
    }

    /// <summary>Where the range falls when it opens on <paramref name="day"/>, in local time.</summary>
    public (DateTime Opens, DateTime Closes) On(DateOnly day) =>
        (day.ToDateTime(Opens), (Closes > Opens ? day : day.AddDays(1)).ToDateTime(Closes));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Opens:HH\\:mm}-{Closes:HH\\:mm}");
}

/// <summary>A dated exception: the ranges of that day instead of the week's (none: closed all day), and why.</summary>
public sealed record HoursException(DateOnly Date, IReadOnlyList<HoursRange> Ranges, string? Reason);

/// <summary>Whether a store takes an order for now, and if not, why and from when.</summary>
/// <param name="OrderBefore">While taking: the last moment an order is taken (the range's close less the mode's cut-off).</param>
/// <param name="OpensAt">While not: the next moment it takes one, within two weeks.</param>
public sealed record StoreHoursNow(bool Taking, string? ClosedReason, DateTimeOffset? OrderBefore, DateTimeOffset? OpensAt, string? Note = null)
{
    /// <summary>The store's own switch is off.</summary>
    public const string Closed = "closed";

    /// <summary>A dated exception closes the store all day (its reason is the note).</summary>
    public const string Holiday = "holiday";

    public const string OutsideHours = "outside_hours";

    /// <summary>Open, but within the mode's cut-off before closing.</summary>
    public const string PastCutoff = "past_cutoff";

    public static readonly StoreHoursNow Always = new(true, null, null, null);

    /// <summary>"holiday: 国庆节; takes orders again from 2026-10-02T09:00:00+08:00": for a problem's detail.</summary>
    public string Describe() =>
        $"{ClosedReason?.Replace('_', ' ')}{(Note is null ? "" : $": {Note}")}" + (OpensAt is { } at ? $"; takes orders again from {Stamp(at)}" : "");

    /// <summary>A moment as the buyer is told it: local time with its offset, to the second.</summary>
    public static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

/// <summary>
/// A store's opening hours in the brand's time zone: ranges per day of the week (several a day,
/// past midnight allowed: a range belongs to the day it opens), dated exceptions (holidays,
/// closures, special hours), and how long before closing each mode stops taking orders.
/// </summary>
public sealed record OpeningHours(
    IReadOnlyDictionary<DayOfWeek, IReadOnlyList<HoursRange>> Weekly, IReadOnlyList<HoursException> Exceptions,
    int PickupCutoffMinutes, int DeliveryCutoffMinutes)
{
    public const int MaxCutoffMinutes = 240;
    public const int MaxRangesPerDay = 6;
    public const int MaxExceptions = 366;

    /// <summary>How far ahead <see cref="StoreHoursNow.OpensAt"/> looks.</summary>
    private const int LookAheadDays = 14;

    internal static readonly IReadOnlyDictionary<string, DayOfWeek> DayNames = new Dictionary<string, DayOfWeek>
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    public IReadOnlyList<HoursRange> RangesOn(DateOnly day) =>
        Exceptions.FirstOrDefault(e => e.Date == day)?.Ranges ?? Weekly.GetValueOrDefault(day.DayOfWeek) ?? [];

    /// <summary>Whether an order of <paramref name="mode"/> is taken at <paramref name="now"/>, in <paramref name="zone"/>.</summary>
    public StoreHoursNow At(DateTimeOffset now, TimeZoneInfo zone, FulfillmentMode mode)
    {
        var cutoff = TimeSpan.FromMinutes(mode == FulfillmentMode.Delivery ? DeliveryCutoffMinutes : PickupCutoffMinutes);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        var pastCutoff = false;
        foreach (var day in new[] { today.AddDays(-1), today }) // yesterday's range may run past midnight
            foreach (var (opens, closes) in RangesOn(day).Select(r => r.On(day)))
            {
                if (opens <= local && local < closes - cutoff) return new(true, null, Offset(closes - cutoff, zone), null);
                pastCutoff |= opens <= local && local < closes;
            }
        var reason = pastCutoff ? StoreHoursNow.PastCutoff
            : Exceptions.FirstOrDefault(e => e.Date == today) is { Ranges.Count: 0 } ? StoreHoursNow.Holiday
            : StoreHoursNow.OutsideHours;
        var note = reason == StoreHoursNow.Holiday ? Exceptions.First(e => e.Date == today).Reason : null;
        return new(false, reason, null, NextOpening(local, cutoff, zone), note);
    }

    private DateTimeOffset? NextOpening(DateTime local, TimeSpan cutoff, TimeZoneInfo zone) =>
        Enumerable.Range(0, LookAheadDays + 1)
            .Select(n => DateOnly.FromDateTime(local).AddDays(n))
            .SelectMany(day => RangesOn(day).Select(r => r.On(day)))
            .Where(r => r.Opens > local && r.Closes - cutoff > r.Opens)
            .Select(r => (DateTime?)r.Opens)
            .Min() is { } opens ? Offset(opens, zone) : null;

    private static DateTimeOffset Offset(DateTime local, TimeZoneInfo zone) => new(local, zone.GetUtcOffset(local));

    public static OpeningHours? Create(OpeningHoursInput? input, ValidationErrors errors)
    {
        if (input is null) return null;
        var weekly = new Dictionary<DayOfWeek, IReadOnlyList<HoursRange>>();
        foreach (var (name, ranges) in input.Weekly ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (!DayNames.TryGetValue(name, out var day))
            {
                errors.Add($"hours.weekly.{name}", "must be one of mon, tue, wed, thu, fri, sat, sun");
                continue;
            }
            weekly[day] = Ranges($"hours.weekly.{name}", ranges, errors);
        }
        var exceptions = new List<HoursException>();
        foreach (var (exception, i) in (input.Exceptions ?? []).Select((e, i) => (e, i)))
        {
            var field = $"hours.exceptions[{i}]";
            if (!DateOnly.TryParseExact(exception.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                errors.Add($"{field}.date", "must be a date, yyyy-MM-dd");
            else if (exceptions.Any(e => e.Date == date)) errors.Add($"{field}.date", "is listed twice");
            if (exception.Reason is { Length: > 100 }) errors.Add($"{field}.reason", "must be at most 100 characters");
            exceptions.Add(new HoursException(date, Ranges($"{field}.ranges", exception.Ranges, errors), exception.Reason?.Trim()));
        }
        if (exceptions.Count > MaxExceptions) errors.Add("hours.exceptions", $"at most {MaxExceptions}");
        errors.Range("hours.pickupCutoffMinutes", input.PickupCutoffMinutes ?? 0, 0, MaxCutoffMinutes)
            .Range("hours.deliveryCutoffMinutes", input.DeliveryCutoffMinutes ?? 0, 0, MaxCutoffMinutes);
        return new OpeningHours(weekly, [.. exceptions.OrderBy(e => e.Date)], (int)(input.PickupCutoffMinutes ?? 0), (int)(input.DeliveryCutoffMinutes ?? 0));
    }

    private static IReadOnlyList<HoursRange> Ranges(string field, IReadOnlyList<string>? texts, ValidationErrors errors)
    {
        var ranges = new List<HoursRange>();
        if (texts is { Count: > MaxRangesPerDay }) errors.Add(field, $"at most {MaxRangesPerDay} ranges a day");
        foreach (var (text, i) in (texts ?? []).Select((t, i) => (t, i)))
        {
            if (!HoursRange.TryParse(text, out var range))
                errors.Add($"{field}[{i}]", "must be \"HH:mm-HH:mm\" (a close at or before the open runs past midnight)");
            else ranges.Add(range);
        }
        return ranges;
    }

    /// <summary>The hours as the operator writes them, for the store's view.</summary>
    public OpeningHoursInput ToInput() => new(
        DayNames.Where(d => Weekly.ContainsKey(d.Value)).ToDictionary(d => d.Key, d => (IReadOnlyList<string>)[.. Weekly[d.Value].Select(r => r.ToString())]),
        [.. Exceptions.Select(e => new HoursExceptionInput(e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), [.. e.Ranges.Select(r => r.ToString())],
            e.Reason))],
        PickupCutoffMinutes, DeliveryCutoffMinutes);
}

/// <summary>Opening hours as the operator sends them: {"weekly": {"mon": ["09:00-21:00"]}, "exceptions": [{"date", "ranges", "reason"}], cut-offs}.</summary>
public sealed record OpeningHoursInput(
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Weekly, IReadOnlyList<HoursExceptionInput>? Exceptions = null,
    long? PickupCutoffMinutes = null, long? DeliveryCutoffMinutes = null);

public sealed record HoursExceptionInput(string? Date, IReadOnlyList<string>? Ranges, string? Reason = null);
