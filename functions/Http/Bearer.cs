namespace O2O.Functions.Http;

public static class Bearer
{
    /// <summary>The credential of an "Authorization: Bearer ..." header, or null.</summary>
    public static string? Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
