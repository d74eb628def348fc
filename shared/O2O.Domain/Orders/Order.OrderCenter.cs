namespace O2O.Domain.Orders;

/// <summary>
/// What WeChat's order center (发货信息管理) holds of the order: the shipping information uploaded
/// for it, and what WeChat told of it since (a reminder to upload, the buyer's confirmation of
/// receipt, the settlement of the money).
/// </summary>
public sealed record OrderCenterRecord
{
    /// <summary>When WeChat accepted the shipping information (or said it had it already).</summary>
    public DateTimeOffset? UploadedAt { get; init; }

    public int? LogisticsType { get; init; }
    public DateTimeOffset? RemindedAt { get; init; }
    public DateTimeOffset? ReceiptConfirmedAt { get; init; }
    public DateTimeOffset? SettledAt { get; init; }
}

/// <summary>The order's steps in WeChat's order center.</summary>
public sealed partial class Order
{
    public OrderCenterRecord? OrderCenter { get; private set; }

    /// <summary>WeChat holds the order's shipping information; recorded once.</summary>
    public void RecordShippingUploaded(int logisticsType, DateTimeOffset at)
    {
        if (OrderCenter?.UploadedAt is not null) return;
        OrderCenter = (OrderCenter ?? new OrderCenterRecord()) with { UploadedAt = at, LogisticsType = logisticsType };
        Changed = true;
    }

    /// <summary>WeChat reminded the merchant that the order waits for its shipping information.</summary>
    public void RecordShippingReminder(DateTimeOffset at)
    {
        OrderCenter = (OrderCenter ?? new OrderCenterRecord()) with { RemindedAt = at };
        Changed = true;
    }

    /// <summary>The buyer confirmed receipt in WeChat (or WeChat did, after its time): raised once.</summary>
    public void ConfirmReceipt(DateTimeOffset confirmedAt)
    {
        if (OrderCenter?.ReceiptConfirmedAt is not null) return;
        OrderCenter = (OrderCenter ?? new OrderCenterRecord()) with { ReceiptConfirmedAt = confirmedAt };
        Raise(OrderEventTypes.ReceiptConfirmed, confirmedAt, new OrderCenterStep(Id, StoreId, confirmedAt));
    }

    /// <summary>WeChat settled the order's money to the merchant: raised once.</summary>
    public void RecordSettlement(DateTimeOffset settledAt)
    {
        if (OrderCenter?.SettledAt is not null) return;
        OrderCenter = (OrderCenter ?? new OrderCenterRecord()) with { SettledAt = settledAt };
        Raise(OrderEventTypes.Settled, settledAt, new OrderCenterStep(Id, StoreId, settledAt));
    }
}
