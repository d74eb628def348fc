using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Azure.Data.Tables;

namespace O2O.Application.Storage;

/// <summary>
/// Turns a row read as a plain <see cref="TableEntity"/> into its typed entity: a range query over
/// one partition returns rows of several kinds at once (an order, its timeline, its outbox), which
/// the SDK can only hand back untyped.
/// </summary>
public static class TableRows
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static T As<T>(this TableEntity row) where T : ITableEntity, new()
    {
        var entity = new T { PartitionKey = row.PartitionKey, RowKey = row.RowKey, ETag = row.ETag, Timestamp = row.Timestamp };
        foreach (var property in Properties.GetOrAdd(typeof(T), Writable))
        {
            if (!row.TryGetValue(property.Name, out var value) || value is null) continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(entity, type.IsInstanceOfType(value) ? value : Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
        }
        return entity;
    }

    private static PropertyInfo[] Writable(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite
            && p.Name is not (nameof(ITableEntity.PartitionKey) or nameof(ITableEntity.RowKey) or nameof(ITableEntity.ETag) or nameof(ITableEntity.Timestamp)))
        .ToArray();
}
