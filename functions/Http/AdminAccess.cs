using O2O.Application.Auth;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

public static class AdminAccess
{
    public static readonly ApiResponse Denied = ApiResponse.Problem(
        Error.Unauthorized("This route needs the operator's key: 'Authorization: Bearer <admin key>'."));

    public static bool Allows(this AdminAuthenticator admin, HttpRequest request) => admin.IsAdmin(Bearer.Token(request));
}
