namespace O2O.Application.Storage;

/// <summary>Every table and queue the app uses; infra/app/storage.bicep creates the same list.</summary>
public static class StorageNames
{
    public const string SkusTable = "Skus";
    public const string StoresTable = "Stores";
    public const string StockTable = "Stock";

    public static readonly IReadOnlyList<string> Tables = [SkusTable, StoresTable, StockTable];

    public static readonly IReadOnlyList<string> Queues = [];
}
