namespace O2O.Domain.Agents;

/// <summary>
/// Whose share brought an order, frozen at checkout with the rates then in force, so a later
/// binding or rate change never changes an existing order's commission.
/// </summary>
/// <param name="ParentAgentId">The second level, when the brand pays one and the parent is active.</param>
public sealed record Attribution(string AgentId, string? ParentAgentId, IReadOnlyList<LineRate> Rates);

/// <summary>The commission rates of one order line, in basis points (1/100 of a percent) of what the buyer paid for it.</summary>
public sealed record LineRate(string Sku, int Level1Bps, int Level2Bps);

/// <summary>
/// The brand's commission rates: per SKU, else per agent tier, else the global rate, for the
/// agent who shared; the second level (the agent's parent) a rate of its own; both together capped.
/// </summary>
public sealed record CommissionRates(int GlobalBps, IReadOnlyDictionary<string, int> TierBps, int Level2Bps, int MaxTotalBps, int Levels)
{
    public const int MaxBps = 10_000;

    /// <summary>The rates of a line: SKU → tier → global for level 1; level 2 only with two levels and a parent; the sum capped, level 1 first.</summary>
    public LineRate For(string sku, int? skuBps, string tier, bool hasParent)
    {
        var level1 = Math.Min(skuBps ?? (TierBps.TryGetValue(tier, out var byTier) ? byTier : GlobalBps), MaxTotalBps);
        var level2 = Levels == 2 && hasParent ? Math.Min(Level2Bps, MaxTotalBps - level1) : 0;
        return new LineRate(sku, level1, level2);
    }

    /// <summary>
    /// The commission on <paramref name="paidFen"/> at <paramref name="bps"/>, rounded down to the
    /// fen per line: the brand never pays a fraction of a fen, and rounding each line alone keeps a
    /// refund of one line from moving another's.
    /// </summary>
    public static long Of(long paidFen, int bps) => paidFen * bps / MaxBps;
}

/// <summary>
/// A consumer's binding to the agent whose share they came through: the first touch wins and holds
/// for the binding days (0: for good); a share of another agent within that time changes nothing.
/// </summary>
public sealed record AgentBinding(string AgentId, DateTimeOffset BoundAt, DateTimeOffset? LockedUntil)
{
    public bool Locked(DateTimeOffset now) => LockedUntil is null || now < LockedUntil;

    public static AgentBinding New(string agentId, DateTimeOffset now, int bindingDays) =>
        new(agentId, now, bindingDays == 0 ? null : now.AddDays(bindingDays));
}

/// <summary>
/// A share code as the buyer arrived with it (a mini-program scene, a link): one that cannot be ours
/// (malformed, empty, another scene string such as "store=S-001&amp;t=1", CJK) is no code at all, so
/// the buyer logs in and orders unattributed rather than being turned away.
/// </summary>
public static class ShareCodes
{
    public const int MaxLength = 32;

    public static string? Usable(string? arrived) =>
        arrived is { Length: > 0 and <= MaxLength } && Common.Identifier.IsValid(arrived) ? arrived : null;
}
