using O2O.Domain.Common;

namespace O2O.Domain.Orders;

/// <summary>The order's money with WeChat Pay: the prepay, the payment (or a refused one), and what WeChat Pay says of its refunds.</summary>
public sealed partial class Order
{
    public Result<Order> RecordPrepay(string prepayId, DateTimeOffset at, string payerOpenId)
    {
        if (Status != OrderStatus.PendingPayment) return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be paid.");
        Prepay = new PrepayRecord(prepayId, at, payerOpenId);
        Changed = true;
        return this;
    }

    /// <summary>
    /// A payment WeChat Pay confirmed (its amount, currency and merchant already checked). The same
    /// transaction again changes nothing. A payment that arrives after the order was cancelled is
    /// kept on record and refunded in full.
    /// </summary>
    public Result<PaymentOutcome> RecordPayment(string transactionId, long amountFen, DateTimeOffset paidAt)
    {
        if (Payment is not null)
            return Payment.TransactionId == transactionId
                ? PaymentOutcome.AlreadyRecorded
                : new Error(ErrorCodes.InvalidTransition, $"Order {Id} was already paid by transaction {Payment.TransactionId}.");
        Payment = new PaymentRecord(transactionId, amountFen, paidAt);
        Changed = true;
        if (Status == OrderStatus.Cancelled)
        {
            Refund = new RefundRecord(RefundIds.For(Id), amountFen, RefundStatus.Pending, null);
            return PaymentOutcome.RefundLatePayment;
        }
        if (Status != OrderStatus.PendingPayment)
            return new Error(ErrorCodes.InvalidTransition, $"An order that is {Status} cannot be paid.");
        Promise = Promise?.PaidAt(paidAt);
        MoveTo(OrderStatus.Paid, paidAt, "wechatpay", OrderEventTypes.Paid, new OrderPaid(Id, StoreId, transactionId, amountFen, Promise));
        return PaymentOutcome.Paid;
    }

    /// <summary>
    /// A genuine notification whose payment does not match the order: never a payment of it. It is
    /// kept and raised once per transaction as an alert for an operator.
    /// </summary>
    public void RejectPayment(string transactionId, string reason, DateTimeOffset at)
    {
        if (RejectedTransactionId == transactionId) return;
        RejectedTransactionId = transactionId;
        Raise(OrderEventTypes.PaymentRejected, at, new PaymentRejected(Id, transactionId, reason));
    }

    /// <summary>
    /// What WeChat Pay says of a refund of the order, its own or a case's: the first success raises
    /// o2o.refund.succeeded (o2o.aftersales.refunded for a case); reaching ABNORMAL or CLOSED raises
    /// the o2o.refund.failed alert, once per status. False if the order has no such refund.
    /// </summary>
    public bool RecordRefundStatus(string outRefundNo, RefundStatus status, string? refundId, DateTimeOffset at)
    {
        var refunded = Case(outRefundNo);
        var refund = refunded is null ? Refund : refunded.Refund;
        if (refund is null || refund.OutRefundNo != outRefundNo) return false;
        if (refund.Status is RefundStatus.Succeeded or RefundStatus.Closed) return true;
        var updated = refund with { Status = status, RefundId = refundId ?? refund.RefundId };
        if (updated == refund) return true;
        if (refunded is null) Refund = updated;
        else Put(refunded = refunded with { Refund = updated });
        Changed = true;
        if (status == RefundStatus.Succeeded && refunded is not null)
            RaiseCase(OrderEventTypes.AfterSalesRefunded, at, refunded, updated.AmountFen, null);
        else if (status == RefundStatus.Succeeded)
            Raise(OrderEventTypes.RefundSucceeded, at, new RefundSucceeded(Id, updated.OutRefundNo, updated.AmountFen));
        else if (status is RefundStatus.Abnormal or RefundStatus.Closed && status != refund.Status)
            Raise(OrderEventTypes.RefundFailed, at, new RefundFailed(Id, StoreId, updated.OutRefundNo, updated.AmountFen, status.ToString()));
        return true;
    }

    /// <summary>Every refund decided on the order, its own and its cases'.</summary>
    public IEnumerable<RefundRecord> Refunds => _cases.Where(c => c.Refund is not null).Select(c => c.Refund!).Concat(Refund is null ? [] : [Refund]);
}
