namespace O2O.Domain.Agents;

/// <summary>
/// An agent's commission by state, always the sum of its ledger's entries, and what withdrawals
/// took from it. What can be withdrawn is what is available less what was withdrawn: a refund
/// after a withdrawal may take it below zero, and then nothing can be withdrawn until it is back up.
/// </summary>
public sealed record AgentBalance(long PendingFen, long LockedFen, long AvailableFen, long WithdrawnFen)
{
    public static readonly AgentBalance Zero = new(0, 0, 0, 0);

    public long WithdrawableFen => AvailableFen - WithdrawnFen;

    /// <summary>A new ledger entry of <paramref name="amountFen"/> (negative for a reversal) in its state.</summary>
    public AgentBalance Add(CommissionState state, long amountFen) => state switch
    {
        CommissionState.Pending => this with { PendingFen = PendingFen + amountFen },
        CommissionState.Locked => this with { LockedFen = LockedFen + amountFen },
        _ => this with { AvailableFen = AvailableFen + amountFen },
    };

    /// <summary>An entry of <paramref name="amountFen"/> moved from one state to another; its amount never changes.</summary>
    public AgentBalance Move(CommissionState from, CommissionState to, long amountFen) => Add(from, -amountFen).Add(to, amountFen);

    /// <summary>The balance with a withdrawal of <paramref name="amountFen"/> reserved, or null when it does not fit.</summary>
    public AgentBalance? Reserve(long amountFen) =>
        amountFen > 0 && WithdrawableFen >= amountFen ? this with { WithdrawnFen = WithdrawnFen + amountFen } : null;

    /// <summary>A failed or cancelled withdrawal's amount given back.</summary>
    public AgentBalance GiveBack(long amountFen) => this with { WithdrawnFen = WithdrawnFen - amountFen };
}
