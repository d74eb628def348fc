using System.Text.Json;

namespace O2O.Application.Storage;

/// <summary>How structured values (order lines, addresses, event data) are stored inside a table property.</summary>
public static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
