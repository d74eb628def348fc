using Microsoft.AspNetCore.Http;
using O2O.Application.Platform;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

public static class AdminAccess
{
    public static readonly ApiResponse Denied = ApiResponse.Problem(
        Error.Unauthorized("This route needs the operator's key: 'Authorization: Bearer <admin key>'."));

    public static bool Allows(this AdminAuthenticator admin, HttpRequest request) => admin.IsAdmin(BearerToken(request));

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
