using O2O.Application.Agents;

namespace O2O.Functions.Agents;

/// <summary>Every five minutes: withdrawals never accepted by WeChat Pay are asked for again (same out_bill_no), unsettled ones looked up.</summary>
public sealed class ReconcileWithdrawals(WithdrawalService withdrawals)
{
    [Function(nameof(ReconcileWithdrawals))]
    public Task Run([TimerTrigger("55 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        withdrawals.ReconcileAsync(cancellationToken);
}
