namespace O2O.Application.Storage;

/// <summary>Every table and queue the app uses; infra/app/storage.bicep creates the same list.</summary>
public static class StorageNames
{
    public const string SkusTable = "Skus";
    public const string StoresTable = "Stores";
    public const string StockTable = "Stock";
    public const string OrdersTable = "Orders";

    /// <summary>Nudges for the outbox relay: "this order has events to publish".</summary>
    public const string OrderOutboxQueue = "order-outbox";

    /// <summary>The internal stream of domain events (CloudEvents JSON) that the relay publishes.</summary>
    public const string OrderEventsQueue = "order-events";

    public static readonly IReadOnlyList<string> Tables = [SkusTable, StoresTable, StockTable, OrdersTable];

    public static readonly IReadOnlyList<string> Queues = [OrderOutboxQueue, OrderEventsQueue];
}
