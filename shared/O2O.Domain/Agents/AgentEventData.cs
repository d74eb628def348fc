namespace O2O.Domain.Agents;

// What an agent's events say: written by the commission ledger in the agent's partition, not raised
// by an order, and a contract for finance all the same (OrderEventPayloadTests pins them).

/// <summary>
/// An agent's commission on an order moved: earned, taken back by a refund, locked on hand-over,
/// available after the settle time. <see cref="AmountFen"/> is what moved (negative when taken back).
/// </summary>
public sealed record CommissionChanged(string AgentId, string OrderId, string Kind, long AmountFen, string State, string? OutRefundNo);

/// <summary>
/// An agent's withdrawal was asked for (the amount left the available balance), paid, or not paid
/// (failed or cancelled: the amount is back in the balance). Finance follows transfers by these.
/// </summary>
public sealed record WithdrawalChanged(string AgentId, string WithdrawalId, long AmountFen, string State, string? TransferBillNo);
