using System.Globalization;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

public static class QueryValues
{
    public static string? Text(HttpRequest request, string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>A missing or malformed number reads as null, which the service reports as the field's error.</summary>
    public static double? Number(HttpRequest request, string name) =>
        double.TryParse(Text(request, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A repeated parameter's values (?sku=a&amp;sku=b).</summary>
    public static IReadOnlyList<string> All(HttpRequest request, string name) => [.. request.Query[name].Where(s => s is not null).Select(s => s!)];

    /// <summary>The optional ?pageSize= as a number; the service checks its range.</summary>
    public static Result<int?> PageSize(HttpRequest request)
    {
        if (Text(request, "pageSize") is not { } text) return (int?)null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : Error.Validation("pageSize", "must be a whole number");
    }
}
