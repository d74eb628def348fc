using O2O.Application.Auth;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Functions.Http;

public static class ConsumerAccess
{
    public static readonly ApiResponse Denied = ApiResponse.Problem(
        Error.Unauthorized("Log in first: 'Authorization: Bearer <token from POST /api/auth/wechat-login>'. Tokens expire after two hours."));

    /// <summary>The signed-in consumer's partition key, or null when the session token is missing, forged or expired.</summary>
    public static string? ConsumerKey(this SessionTokens sessions, HttpRequest request) =>
        sessions.Validate(Bearer.Token(request)) is { } openId ? OrderIds.ConsumerKey(openId) : null;
}
