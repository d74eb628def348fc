using O2O.Application.Storage.Outbox;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

/// <summary>Withdrawals in the agent's ledger: the amount reserved from the balance, WeChat Pay's answer recorded, and their events.</summary>
public sealed partial class CommissionLedger
{
    /// <summary>
    /// Reserves <paramref name="withdrawal"/>'s amount of the withdrawable balance: the withdrawal's
    /// row and the balance in one transaction, so two withdrawals at once can never both spend the
    /// same fen. Null when it does not fit (the balance may even be below zero); the withdrawal
    /// already there, and not new, when this is a retry of the request that made it.
    /// </summary>
    public async Task<(Withdrawal? Withdrawal, bool New)> ReserveAsync(Withdrawal withdrawal, CancellationToken cancellationToken)
    {
        var reserved = await concurrency.RunAsync<(Withdrawal?, bool)>(async ct =>
        {
            if (await table.FindWithdrawalAsync(withdrawal.AgentId, withdrawal.Id, ct) is { } existing) return (existing.Withdrawal,
                false); // a retry of this request
            var balance = await table.BalanceAsync(withdrawal.AgentId, ct);
            if (balance.Balance.Reserve(withdrawal.AmountFen) is not { } reserved) return (null, false);
            await table.AddWithdrawalAsync(withdrawal, WithdrawalEvent(withdrawal, "requested"),
                balance, reserved, ct); // 409: this withdrawal meanwhile; 412: the balance moved
            return (withdrawal, true);
        }, cancellationToken);
        if (reserved.Item1 is { } written) await PublishAsync(written.AgentId, written.Id, cancellationToken);
        return reserved;
    }

    public async Task<Withdrawal?> FindWithdrawalAsync(string agentId, string withdrawalId, CancellationToken cancellationToken) =>
        (await table.FindWithdrawalAsync(agentId, withdrawalId, cancellationToken))?.Withdrawal;

    /// <summary>
    /// Records what WeChat Pay says of a withdrawal's transfer. A failed or cancelled one gives its
    /// amount back to the balance, in the same transaction; a final state never changes again.
    /// </summary>
    public async Task<Withdrawal?> RecordTransferAsync(string agentId, string withdrawalId, WithdrawalState state, string? transferBillNo, string? packageInfo,
        CancellationToken cancellationToken)
    {
        var recorded = await concurrency.RunAsync<Withdrawal?>(async ct =>
        {
            if (await table.FindWithdrawalAsync(agentId, withdrawalId, ct) is not var (current, etag)) return null;
            if (current.WithTransfer(state, transferBillNo, packageInfo) is not { } updated) return current;
            var evt = updated.IsFinal ? WithdrawalEvent(updated, state.ToString().ToLowerInvariant()) : null;
            (StoredBalance, AgentBalance)? givenBack = null;
            if (updated.GivesBack && await table.BalanceAsync(agentId, ct) is var balance) givenBack = (balance, balance.Balance.GiveBack(current.AmountFen));
            await table.UpdateWithdrawalAsync(updated, etag, evt, givenBack, ct); // 412: it or the balance moved meanwhile
            return updated;
        }, cancellationToken);
        if (recorded is not null) await PublishAsync(agentId, withdrawalId, cancellationToken);
        return recorded;
    }

    /// <summary>
    /// o2o.commission.withdrawal.requested|succeeded|failed|cancelled, one of each at most per
    /// withdrawal (its id names the kind), written with the change it tells of.
    /// </summary>
    private OutboxRow WithdrawalEvent(Withdrawal w, string kind) =>
        AgentsTable.EventRow(w.AgentId, w.Id, $"{w.Id}.{kind}", "o2o.commission.withdrawal." + kind,
            new WithdrawalChanged(w.AgentId, w.Id, w.AmountFen, w.State.ToString(),
                w.TransferBillNo), clock.GetUtcNow(), subject: $"agents/{w.AgentId}/withdrawals/{w.Id}");
}
