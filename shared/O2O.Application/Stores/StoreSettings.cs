namespace O2O.Application.Stores;

/// <summary>What every store shares: the brand's time zone, in which the stores' hours are read.</summary>
public sealed class StoreSettings : ISettingsSection
{
    public static string SectionName => "Stores";

    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>An IANA time zone id; Asia/Shanghai (UTC+8, no daylight saving since 1991) by default.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>
    /// The zone. Shanghai is UTC+8 all year, so a machine without the tz database still gets it
    /// right; any other zone must be known to the machine (the app refuses to start otherwise).
    /// </summary>
    public TimeZoneInfo Zone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone
        : TimeZone == DefaultTimeZone ? TimeZoneInfo.CreateCustomTimeZone(DefaultTimeZone, TimeSpan.FromHours(8), "China Standard Time", "CST")
        : throw new InvalidOperationException($"Stores__TimeZone '{TimeZone}' is not a time zone this machine knows.");
}
