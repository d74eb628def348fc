using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using O2O.Application.Payments;
using O2O.Application.Payments.WeChatPay;
using O2O.Application.Storage;
using O2O.Domain.Agents;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Agents;

public sealed record WithdrawalInput(long? AmountFen, string? UserName);

/// <summary>A withdrawal as its agent sees it: with <see cref="PackageInfo"/> while it waits for the agent's confirmation in the mini-program.</summary>
public sealed record WithdrawalView(string WithdrawalId, long AmountFen, string State, string? PackageInfo, DateTimeOffset CreatedAt)
{
    public static WithdrawalView From(Withdrawal w) => new(w.Id, w.AmountFen, w.State.ToString(), w.State == WithdrawalState.Processing ? w.PackageInfo : null, w.CreatedAt);
}

public sealed record RequestedWithdrawal(WithdrawalView Withdrawal, bool Replayed);

/// <summary>
/// Withdrawals of available commission by WeChat Pay's merchant transfer. The amount is reserved
/// from the balance first (a negative balance, or one too small, refuses), then the transfer is
/// asked for under the withdrawal's id as out_bill_no; the transfer notification and the
/// reconciler's query settle it, and a failed or cancelled one gives the amount back.
/// </summary>
public sealed partial class WithdrawalService(
    AgentService agents, CommissionLedger ledger, WithdrawalDueTable due, WeChatPayClient weChatPay, TimeProvider clock, ILogger<WithdrawalService> logger)
{
    /// <summary>How long a withdrawal may stay unsettled before the reconciler asks WeChat Pay.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromMinutes(5);

    public const int MaxUserNameLength = 50;

    public async Task<Result<RequestedWithdrawal>> RequestAsync(string openId, string? idempotencyKey, WithdrawalInput input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > CheckoutKeyLength || idempotencyKey.Any(c => c < 0x21 || c > 0x7e))
            return Error.Validation("Idempotency-Key", $"header is required: 1 to {CheckoutKeyLength} printable ASCII characters, new for each withdrawal");
        var errors = new ValidationErrors().Range("amountFen", input.AmountFen, Withdrawal.MinFen, 100_000_000);
        if (input.AmountFen >= Withdrawal.RealNameFromFen) errors.RequireText("userName", input.UserName, MaxUserNameLength);
        if (!errors.IsEmpty) return errors.ToError();
        var agent = await agents.OfConsumerAsync(OrderIds.ConsumerKey(openId), cancellationToken);
        if (!agent.IsSuccess) return agent.Error;

        var id = Withdrawal.IdFor(agent.Value.AgentId, idempotencyKey);
        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input with { UserName = null }, StorageJson.Options)));
        var asked = new Withdrawal(id, agent.Value.AgentId, input.AmountFen!.Value, openId, hash, clock.GetUtcNow(), WithdrawalState.Reserved);
        await due.MarkAsync(id, clock.GetUtcNow() + CheckAfter, cancellationToken, owner: agent.Value.AgentId); // before the money moves: the reconciler finds it
        var (reserved, isNew) = await ledger.ReserveAsync(asked, cancellationToken);
        if (reserved is null)
        {
            var balance = await ledger.BalanceAsync(agent.Value.AgentId, cancellationToken);
            return new Error(ErrorCodes.Conflict, $"Only {Math.Max(0, balance.WithdrawableFen)} fen can be withdrawn now" +
                (balance.WithdrawableFen < 0 ? $" (the balance is {balance.WithdrawableFen} fen: refunds took back commission already withdrawn)." : "."));
        }
        if (reserved.RequestHash != hash) return new Error(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key already asked for a different withdrawal.");
        var current = reserved.State == WithdrawalState.Reserved ? await TransferAsync(reserved, input.UserName, cancellationToken) : reserved;
        return new RequestedWithdrawal(WithdrawalView.From(current), Replayed: !isNew);
    }

    private const int CheckoutKeyLength = Orders.CheckoutService.MaxIdempotencyKeyLength;

    /// <summary>Asks WeChat Pay for the transfer (again: the same out_bill_no answers the same bill); left reserved if WeChat Pay cannot be reached.</summary>
    private async Task<Withdrawal> TransferAsync(Withdrawal reserved, string? userName, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await weChatPay.TransferAsync(reserved.Id, reserved.OpenId, reserved.AmountFen, "分销佣金提现", userName, cancellationToken);
            return await ledger.RecordTransferAsync(reserved.AgentId, reserved.Id, Withdrawal.StateOf(answer.State), answer.TransferBillNo, answer.PackageInfo, cancellationToken)
                   ?? reserved;
        }
        catch (Exception e) when (PaymentService.IsPartnerFailure(e))
        {
            LogTransferFailed(logger, e, reserved.Id);
            return reserved; // the reconciler asks again, under the same out_bill_no
        }
    }

    /// <summary>A transfer notification (MCHTRANSFER.BILL.FINISHED): the withdrawal settles; an unknown or settled one changes nothing.</summary>
    public async Task<Result<string>> ApplyNoticeAsync(TransferAnswer notice, CancellationToken cancellationToken)
    {
        if (notice.OutBillNo is null || await due.FindAsync(notice.OutBillNo, cancellationToken) is not { Owner: { } agentId }) return "unknown or settled";
        var settled = await ledger.RecordTransferAsync(agentId, notice.OutBillNo, Withdrawal.StateOf(notice.State), notice.TransferBillNo, null, cancellationToken);
        return settled?.State.ToString() ?? "unknown";
    }

    /// <summary>The reconciler: a withdrawal never accepted is asked for again; one not settled is looked up; a settled one leaves the list.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var row in await due.DueAsync(clock.GetUtcNow(), cancellationToken))
        {
            try
            {
                var withdrawal = row.Owner is { } agentId ? await ledger.FindWithdrawalAsync(agentId, row.RowKey, cancellationToken) : null;
                if (withdrawal is { State: WithdrawalState.Reserved }) withdrawal = await TransferAsync(withdrawal, userName: null, cancellationToken);
                else if (withdrawal is { IsFinal: false } && await weChatPay.QueryTransferAsync(withdrawal.Id, cancellationToken) is { } answer)
                    withdrawal = await ledger.RecordTransferAsync(withdrawal.AgentId, withdrawal.Id, Withdrawal.StateOf(answer.State), answer.TransferBillNo, answer.PackageInfo, cancellationToken);
                else if (withdrawal is not null) await ledger.PublishAsync(withdrawal.AgentId, withdrawal.Id, cancellationToken); // what a failure left unpublished; recording publishes too
                var done = withdrawal is null or { IsFinal: true };
                if (done) settled++;
                await due.RescheduleAsync(row, done ? null : clock.GetUtcNow() + CheckAfter, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconcileFailed(logger, e, row.RowKey); // the next run tries again
            }
        }
        return settled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transfer {OutBillNo} could not be asked for now; the reconciler asks again")]
    private static partial void LogTransferFailed(ILogger logger, Exception exception, string outBillNo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reconcile withdrawal {OutBillNo}")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string outBillNo);
}
