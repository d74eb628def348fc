using System.Globalization;
using O2O.Application.AfterSales;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

/// <summary>Agents and their commission (settings Agents__*).</summary>
public sealed class AgentSettings : ISettingsSection
{
    public static string SectionName => "Agents";

    /// <summary>1: the sharing agent earns; 2: their parent too. Never more: the app refuses to start with 3.</summary>
    public int Levels { get; set; } = 1;

    /// <summary>Days a consumer stays bound to the first agent whose share they came through; 0 binds for good.</summary>
    public int BindingDays { get; set; } = 30;

    /// <summary>Days after pickup or delivery before commission can be withdrawn; never shorter than the after-sales window.</summary>
    public int SettleAfterDays { get; set; } = 7;

    /// <summary>The level-1 rate, in basis points, for a SKU and tier without a rate of their own.</summary>
    public int RateBps { get; set; } = 500;

    /// <summary>The level-2 rate, in basis points (with two levels).</summary>
    public int Level2RateBps { get; set; } = 100;

    /// <summary>Level 1 and level 2 together never exceed this, in basis points.</summary>
    public int MaxRateBps { get; set; } = 1500;

    /// <summary>Rates per agent tier, "tier:bps" pairs joined by ',' (e.g. "gold:800,silver:600"); empty for none.</summary>
    public string TierRatesBps { get; set; } = "";

    public CommissionRates ToRates() => new(RateBps, TierRates(), Level2RateBps, MaxRateBps, Levels);

    private Dictionary<string, int> TierRates() =>
        TierRatesBps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split(':'))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>Why the settings cannot run, or null. Checked at start-up.</summary>
    public string? Problem(int afterSalesWindowDays)
    {
        if (Levels is not (1 or 2)) return $"Agents__Levels is {Levels}: commission is paid on one level or two, never more.";
        if (BindingDays is < 0 or > 3650) return "Agents__BindingDays must be between 0 (for good) and 3650.";
        if (SettleAfterDays < afterSalesWindowDays)
            return $"Agents__SettleAfterDays ({SettleAfterDays}) is shorter than the after-sales window ({afterSalesWindowDays} " +
                $"days): commission would be withdrawable before a refund can no longer take it back.";
        if (new[] { RateBps, Level2RateBps, MaxRateBps }.Any(r => r is < 0 or > CommissionRates.MaxBps)) return "Agents__*RateBps must be between 0 and 10000.";
        try
        {
            if (TierRates().Values.Any(r => r is < 0 or > CommissionRates.MaxBps)) return "Agents__TierRatesBps: each rate must be between 0 and 10000.";
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            return "Agents__TierRatesBps must be \"tier:bps\" pairs joined by ','.";
        }
        return null;
    }
}

/// <summary>Checks the agent settings at start-up, with the after-sales window they depend on; the message says what is wrong.</summary>
public sealed class AgentSettingsValidation(Microsoft.Extensions.Options.IOptions<AfterSalesSettings> afterSales)
    : Microsoft.Extensions.Options.IValidateOptions<AgentSettings>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AgentSettings options) =>
        options.Problem(afterSales.Value.WindowDays) is { } problem
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problem)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
