namespace O2O.Application.Orders;

public sealed class OrderSettings : ISettingsSection
{
    public static string SectionName => "Orders";

    /// <summary>How long a new order waits for payment before it is cancelled and its stock released.</summary>
    public int UnpaidTimeoutMinutes { get; set; } = 15;

    /// <summary>How long a paid order waits for its store to accept it before it is routed to the next store.</summary>
    public int AcceptWithinMinutes { get; set; } = 10;

    /// <summary>Unpaid orders one consumer may hold open at once: each holds stock until paid or timed out.</summary>
    public int MaxUnpaidOrders { get; set; } = 5;

    /// <summary>Units of one SKU one order may take (at most <c>Cart.MaxQuantity</c>).</summary>
    public int MaxUnitsPerSku { get; set; } = 20;
}
