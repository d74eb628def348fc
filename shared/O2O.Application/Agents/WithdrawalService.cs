using Microsoft.Extensions.Logging;
using O2O.Application.Payments;
using O2O.Application.Payments.WeChatPay;
using O2O.Application.Platform;
using O2O.Application.Storage;
using O2O.Application.Telemetry;
using O2O.Domain.Agents;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Agents;

public sealed record WithdrawalInput(long? AmountFen, string? UserName);

/// <summary>A withdrawal as its agent sees it: with <see cref="PackageInfo"/> while it waits for the agent's confirmation in the mini-program.</summary>
public sealed record WithdrawalView(string WithdrawalId, long AmountFen, string State, string? PackageInfo, DateTimeOffset CreatedAt)
{
    public static WithdrawalView From(Withdrawal w) => new(w.Id, w.AmountFen, w.State.ToString(),
        w.State == WithdrawalState.Processing ? w.PackageInfo : null, w.CreatedAt);
}

public sealed record RequestedWithdrawal(WithdrawalView Withdrawal, bool Replayed);

/// <summary>
/// Withdrawals of available commission by WeChat Pay's merchant transfer. The amount is reserved
/// from the balance first (a negative balance, or one too small, refuses), then the transfer is
/// asked for under the withdrawal's id as out_bill_no; the transfer notification and the
/// reconciler's query settle it, and a failed or cancelled one gives the amount back.
/// </summary>
public sealed partial class WithdrawalService(
    AgentService agents, CommissionLedger ledger, WithdrawalDueTable due, WeChatPayClient weChatPay, BuyerRateLimits limits, TimeProvider clock,
    ILogger<WithdrawalService> logger)
{
    /// <summary>How long a withdrawal may stay unsettled before the reconciler asks WeChat Pay.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromMinutes(5);

    /// <summary>A withdrawal not final this long after it was asked for is stuck: a metric counts it.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromDays(1);

    public const int MaxUserNameLength = 50;

    public async Task<Result<RequestedWithdrawal>> RequestAsync(
        string openId, string? idempotencyKey, WithdrawalInput input, CancellationToken cancellationToken)
    {
        if (!IdempotencyKeys.IsUsable(idempotencyKey, "each withdrawal", out var badKey)) return badKey;
        var errors = new ValidationErrors().Range("amountFen", input.AmountFen, Withdrawal.MinFen, 100_000_000);
        if (input.AmountFen >= Withdrawal.RealNameFromFen) errors.RequireText("userName", input.UserName, MaxUserNameLength);
        if (!errors.IsEmpty) return errors.ToError();
        var agent = await agents.OfConsumerAsync(OrderIds.ConsumerKey(openId), cancellationToken);
        if (!agent.IsSuccess) return agent.Error;
        if (!agent.Value.Active) return new Error(ErrorCodes.AgentInactive,
            "This agent account is not active: head office must reactivate it before any withdrawal.");

        var agentId = agent.Value.AgentId;
        var id = Withdrawal.IdFor(agentId, idempotencyKey);
        var hash = IdempotencyKeys.RequestHash(input with { UserName = null }); // the name is not kept in the hash
        var asked = new Withdrawal(id, agentId, input.AmountFen!.Value, openId, hash, clock.GetUtcNow(), WithdrawalState.Reserved)
        {
            PayeeName = input.AmountFen >= Withdrawal.RealNameFromFen ? input.UserName!.Trim() : null,
        };
        if (await ledger.FindWithdrawalAsync(agentId, id, cancellationToken) is null)
        {
            // New withdrawals are limited per agent; asking again after one (its state) is not.
            if (!limits.TryAcquire(BuyerAction.Withdraw, agentId)) return new Error(ErrorCodes.RateLimited,
                "Too many withdrawals at once; try again in a minute.");
            // A new request that cannot fit leaves nothing behind; one that fits is listed for the reconciler before the money moves.
            var balance = await ledger.BalanceAsync(agentId, cancellationToken);
            if (balance.WithdrawableFen < asked.AmountFen) return TooMuch(balance.WithdrawableFen);
            await due.MarkAsync(id, clock.GetUtcNow() + CheckAfter, cancellationToken, owner: agentId, since: clock.GetUtcNow());
        }
        var (reserved, isNew) = await ledger.ReserveAsync(asked, cancellationToken);
        // Spent meanwhile: its due row finds nothing and leaves.
        if (reserved is null) return TooMuch((await ledger.BalanceAsync(agentId, cancellationToken)).WithdrawableFen);
        if (reserved.RequestHash != hash) return new Error(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key already asked for a different withdrawal.");
        var current = reserved.State == WithdrawalState.Reserved ? await TransferAsync(reserved, cancellationToken) : reserved;
        return new RequestedWithdrawal(WithdrawalView.From(current), Replayed: !isNew);
    }

    private static Error TooMuch(long withdrawableFen) =>
        new(ErrorCodes.Conflict, $"Only {Math.Max(0, withdrawableFen)} fen can be withdrawn now" +
            (withdrawableFen < 0 ? $" (the balance is {withdrawableFen} fen: refunds took back commission already withdrawn)." : "."));

    /// <summary>
    /// Asks WeChat Pay for the transfer (again: the same out_bill_no answers the same bill), with the
    /// payee's name where it is needed; left reserved if WeChat Pay cannot be reached. A refusal
    /// (4xx) ends it as failed, the amount back in the balance, unless WeChat Pay does hold a bill
    /// under that number (an earlier try went through): then that bill's state is what counts.
    /// </summary>
    private async Task<Withdrawal> TransferAsync(Withdrawal reserved, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await weChatPay.TransferAsync(reserved.Id, reserved.OpenId, reserved.AmountFen, "分销佣金提现", reserved.PayeeName, cancellationToken);
            return await ledger.RecordTransferAsync(reserved.AgentId, reserved.Id,
                Withdrawal.StateOf(answer.State), answer.TransferBillNo, answer.PackageInfo, cancellationToken)
                   ?? reserved;
        }
        catch (WeChatPayRefusedException e)
        {
            LogTransferRefused(logger, e, reserved.Id);
            var held = await weChatPay.QueryTransferAsync(reserved.Id, cancellationToken);
            return await ledger.RecordTransferAsync(reserved.AgentId, reserved.Id, held is null ? WithdrawalState.Failed : Withdrawal.StateOf(held.State),
                held?.TransferBillNo, held?.PackageInfo, cancellationToken) ?? reserved;
        }
        catch (Exception e) when (PaymentService.IsPartnerFailure(e))
        {
            LogTransferFailed(logger, e, reserved.Id);
            return reserved; // the reconciler asks again, under the same out_bill_no
        }
    }

    /// <summary>
    /// A transfer notification (MCHTRANSFER.BILL.FINISHED): the withdrawal settles; an unknown or
    /// settled one changes nothing. Like a payment notification against its order, it must match
    /// its withdrawal (amount, payee), or it settles nothing and says so.
    /// </summary>
    public async Task<Result<string>> ApplyNoticeAsync(TransferAnswer notice, CancellationToken cancellationToken)
    {
        // The payee is the agent: its openid finds the agent, and then the withdrawal in the agent's own partition.
        if (notice.OutBillNo is null || notice.OpenId is null
            || await agents.OfConsumerAsync(OrderIds.ConsumerKey(notice.OpenId), cancellationToken) is not { IsSuccess: true } agent
            || await ledger.FindWithdrawalAsync(agent.Value.AgentId, notice.OutBillNo, cancellationToken) is not { } withdrawal)
            return "unknown or settled";
        var agentId = withdrawal.AgentId;
        if (notice.AmountFen != withdrawal.AmountFen || notice.OpenId != withdrawal.OpenId)
        {
            LogNoticeMismatch(logger, notice.OutBillNo, notice.AmountFen, withdrawal.AmountFen);
            return Error.Validation("resource", $"transfer {notice.OutBillNo} does not match its withdrawal (amount or payee): not settled");
        }
        var settled = await ledger.RecordTransferAsync(agentId, notice.OutBillNo,
            Withdrawal.StateOf(notice.State), notice.TransferBillNo, null, cancellationToken);
        return settled?.State.ToString() ?? "unknown";
    }

    /// <summary>The reconciler: a withdrawal never accepted is asked for again; one not settled is looked up; a settled one leaves the list.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var row in await due.DueAsync(clock.GetUtcNow(), cancellationToken))
        {
            if (row.Since < clock.GetUtcNow() - StuckAfter) OrderMetrics.WithdrawalStuck();
            try
            {
                var withdrawal = row.Owner is { } agentId ? await ledger.FindWithdrawalAsync(agentId, row.RowKey, cancellationToken) : null;
                if (withdrawal is { State: WithdrawalState.Reserved }) withdrawal = await TransferAsync(withdrawal, cancellationToken);
                else if (withdrawal is { IsFinal: false } && await weChatPay.QueryTransferAsync(withdrawal.Id, cancellationToken) is { } answer)
                    withdrawal = await ledger.RecordTransferAsync(withdrawal.AgentId, withdrawal.Id,
                        Withdrawal.StateOf(answer.State), answer.TransferBillNo, answer.PackageInfo, cancellationToken);
                else if (withdrawal is not null) // what a failure left unpublished; recording publishes too
                    await ledger.PublishAsync(withdrawal.AgentId, withdrawal.Id, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "WeChat Pay refused transfer {OutBillNo}; unless it holds a bill under that number, the withdrawal fails and its amount goes back")]
    private static partial void LogTransferRefused(ILogger logger, Exception exception, string outBillNo);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "A transfer notification of {OutBillNo} says {NoticeFen} fen, its withdrawal {WithdrawalFen} fen (or another payee): not settled")]
    private static partial void LogNoticeMismatch(ILogger logger, string outBillNo, long? noticeFen, long withdrawalFen);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reconcile withdrawal {OutBillNo}")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string outBillNo);
}
