using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace O2O.Functions.Http;

/// <summary>The one JSON shape of the API: camelCase, strict numbers, no duplicate properties.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Web defaults read "12" as 12; a client sending strings for numbers has a bug worth a 400.
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        // Store and product names are Chinese; keep them readable while HTML-sensitive characters stay escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
