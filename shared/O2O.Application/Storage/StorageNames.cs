namespace O2O.Application.Storage;

/// <summary>Every table and queue the app uses; infra/app/storage.bicep creates the same list.</summary>
public static class StorageNames
{
    public const string SkusTable = "Skus";
    public const string StoresTable = "Stores";
    public const string StockTable = "Stock";
    public const string OrdersTable = "Orders";
    public const string StoreOrdersTable = "StoreOrders";

    /// <summary>Refunds decided and not yet final, for the refund reconciler.</summary>
    public const string RefundsTable = "Refunds";

    /// <summary>Which stores have each SKU available, for routing.</summary>
    public const string AvailabilityTable = "Availability";

    /// <summary>Each store's after-sales cases (partition = store id), projected from the orders.</summary>
    public const string StoreAfterSalesTable = "StoreAfterSales";

    /// <summary>Cases that may wait for head office (above a store's limit), oldest first: an index checked against the order when listed.</summary>
    public const string HeadOfficeAfterSalesTable = "HeadOfficeAfterSales";

    /// <summary>Orders whose after-sales cases have a deadline or an unfinished step, for the deadline sweep.</summary>
    public const string AfterSalesDueTable = "AfterSalesDue";

    /// <summary>Agents, their consumers' bindings and their share codes.</summary>
    public const string AgentsTable = "Agents";

    /// <summary>Orders whose agents' commission becomes available at a time, for the settle timer.</summary>
    public const string CommissionDueTable = "CommissionDue";

    /// <summary>Withdrawals not yet final, for the withdrawal reconciler and the transfer notifications.</summary>
    public const string WithdrawalsDueTable = "WithdrawalsDue";

    /// <summary>Fulfilled orders whose shipping information WeChat's order center has not confirmed, for the shipping reconciler.</summary>
    public const string ShippingDueTable = "ShippingDue";

    /// <summary>Paid orders whose promise is watched, due at its next moment (start by, ready by, delivered by), for the promise watch.</summary>
    public const string PromisesDueTable = "PromisesDue";

    /// <summary>Head office's audit trail: who changed what, when, before and after (partition = UTC day).</summary>
    public const string HeadOfficeAuditTable = "HeadOfficeAudit";

    /// <summary>Fulfilled orders whose shipping information is to be uploaded to WeChat's order center.</summary>
    public const string ShippingUploadsQueue = "shipping-uploads";

    /// <summary>Attributed orders whose agents' ledgers must be brought in step with the order.</summary>
    public const string CommissionSyncQueue = "commission-sync";

    /// <summary>Nudges for the outbox relay: "this order has events to publish".</summary>
    public const string OrderOutboxQueue = "order-outbox";

    /// <summary>Orders whose refund WeChat Pay has yet to be asked for.</summary>
    public const string RefundRequestsQueue = "refund-requests";

    /// <summary>Orders to ask WeChat Pay about a few minutes after their prepay, in case the notification is lost.</summary>
    public const string PaymentChecksQueue = "payment-checks";

    /// <summary>Delivery orders to book a rider for (with the next platform, after one gave up).</summary>
    public const string CourierDispatchQueue = "courier-dispatch";

    public static readonly IReadOnlyList<string> Tables =
    [
        SkusTable, StoresTable, StockTable, OrdersTable, StoreOrdersTable, RefundsTable, AvailabilityTable, StoreAfterSalesTable,
        HeadOfficeAfterSalesTable, AfterSalesDueTable, AgentsTable, CommissionDueTable, WithdrawalsDueTable, ShippingDueTable,
        PromisesDueTable, HeadOfficeAuditTable,
    ];

    public static readonly IReadOnlyList<string> Queues = [OrderOutboxQueue,
        RefundRequestsQueue, PaymentChecksQueue, CourierDispatchQueue, CommissionSyncQueue, ShippingUploadsQueue];
}
