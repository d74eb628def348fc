using System.Security.Cryptography;
using System.Text;

namespace O2O.Domain.Agents;

public enum WithdrawalState
{
    /// <summary>The amount is reserved from the balance; WeChat Pay has not accepted the transfer yet.</summary>
    Reserved,

    /// <summary>WeChat Pay accepted it; it may wait for the payee to confirm in the mini-program.</summary>
    Processing,
    Succeeded,

    /// <summary>WeChat Pay could not pay it: the amount is back in the balance.</summary>
    Failed,

    /// <summary>Cancelled before it was paid: the amount is back in the balance.</summary>
    Cancelled,
}

/// <summary>
/// An agent's withdrawal of commission to their WeChat balance by merchant transfer. Its id is the
/// transfer's out_bill_no, derived from the agent and the request's Idempotency-Key, so every
/// retry, by the agent or by the reconciler, asks for the same bill.
/// </summary>
public sealed record Withdrawal(string Id, string AgentId, long AmountFen, string OpenId, string RequestHash, DateTimeOffset CreatedAt, WithdrawalState State)
{
    public const long MinFen = 10;

    /// <summary>WeChat Pay asks for the payee's real name from 2,000 yuan.</summary>
    public const long RealNameFromFen = 200_000;

    public string? TransferBillNo { get; init; }

    /// <summary>What the mini-program passes to wx.requestMerchantTransfer for the payee to confirm.</summary>
    public string? PackageInfo { get; init; }

    /// <summary>The payee's real name, which WeChat Pay asks for from <see cref="RealNameFromFen"/>: kept until the withdrawal is final, so a retry carries
    /// it too.</summary>
    public string? PayeeName { get; init; }

    public bool IsFinal => State is WithdrawalState.Succeeded or WithdrawalState.Failed or WithdrawalState.Cancelled;

    /// <summary>A failed or cancelled withdrawal gives its amount back to the balance.</summary>
    public bool GivesBack => State is WithdrawalState.Failed or WithdrawalState.Cancelled;

    /// <summary>What WeChat Pay says of the transfer, applied; null when it changes nothing (a final state never changes again).</summary>
    public Withdrawal? WithTransfer(WithdrawalState state, string? transferBillNo, string? packageInfo) =>
        IsFinal || (State == state && PackageInfo == (packageInfo ?? PackageInfo))
            ? null
            : this with { State = state, TransferBillNo = transferBillNo ?? TransferBillNo, PackageInfo = packageInfo ?? PackageInfo };

    /// <summary>"wd" and 30 characters of [0-9a-z]: a valid out_bill_no (at most 32 letters and digits).</summary>
    public static string IdFor(string agentId, string idempotencyKey)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(agentId + "\n" + idempotencyKey));
        return "wd" + string.Concat(hash.Take(30).Select(b => alphabet[b % 32]));
    }

    /// <summary>WeChat Pay's transfer states, as this app keeps them.</summary>
    public static WithdrawalState StateOf(string? transferState) => transferState switch
    {
        "SUCCESS" => WithdrawalState.Succeeded,
        "FAIL" => WithdrawalState.Failed,
        "CANCELLED" => WithdrawalState.Cancelled,
        _ => WithdrawalState.Processing, // ACCEPTED, PROCESSING, WAIT_USER_CONFIRM, TRANSFERING, CANCELING
    };
}
