using System.Globalization;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

public static class QueryValues
{
    public static string? Text(HttpRequest request, string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The optional ?pageSize= as a number; the service checks its range.</summary>
    public static Result<int?> PageSize(HttpRequest request)
    {
        if (Text(request, "pageSize") is not { } text) return (int?)null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : Error.Validation("pageSize", "must be a whole number");
    }
}
