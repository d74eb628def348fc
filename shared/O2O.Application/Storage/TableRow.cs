using Azure;
using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>The four properties every stored entity has; entities add their own.</summary>
public abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
}
