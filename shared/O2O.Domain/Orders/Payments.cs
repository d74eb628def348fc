namespace O2O.Domain.Orders;

public sealed record PaymentRecord(string TransactionId, long AmountFen, DateTimeOffset PaidAt);

/// <summary>The open WeChat Pay prepay, and the payer's openid, which is also whom the order's notifications go to.</summary>
public sealed record PrepayRecord(string PrepayId, DateTimeOffset CreatedAt, string? PayerOpenId = null);

/// <summary>The code the consumer shows at the counter, and until when the store holds the goods.</summary>
public sealed record PickupRecord(string Code, DateTimeOffset ExpiresAt);

public sealed record RefundRecord(string OutRefundNo, long AmountFen, RefundStatus Status, string? RefundId);

public enum RefundStatus
{
    /// <summary>Decided, not yet accepted by WeChat Pay.</summary>
    Pending,
    Processing,
    Succeeded,

    /// <summary>WeChat Pay could not pay it back (a closed card, say); not final, an operator acts.</summary>
    Abnormal,
    Closed,
}

public enum PaymentOutcome
{
    Paid,
    AlreadyRecorded,

    /// <summary>The order had been cancelled (the unpaid timer won the race): the money goes back.</summary>
    RefundLatePayment,
}

/// <summary>
/// An order's own refund (when it is cancelled) has an out_refund_no derived from the order id; an
/// after-sales case's refund has the case id. Either way a retry can never refund twice, and the
/// order is found from the number alone.
/// </summary>
public static class RefundIds
{
    private const string Suffix = "-r";

    public static string For(string orderId) => orderId + Suffix;

    public static string? OrderIdOf(string outRefundNo) =>
        outRefundNo.EndsWith(Suffix, StringComparison.Ordinal) ? outRefundNo[..^Suffix.Length] : AfterSales.AfterSalesIds.OrderIdOf(outRefundNo);
}
