using Microsoft.Extensions.Logging;
using O2O.Domain.Common;

namespace O2O.Application.Auth;

public sealed record SessionView(string Token, DateTimeOffset ExpiresAt);

/// <summary>Mini-program login: a wx.login code becomes our own session token. WeChat's session_key stays here.</summary>
public sealed partial class LoginService(
    WeChatLoginClient weChat, SessionTokens tokens, Agents.AgentService agents, Platform.BuyerRateLimits limits, ILogger<LoginService> logger)
{
    /// <param name="shareCode">The agent's share code the mini-program was opened with (its scene), if any: it binds the consumer, quietly, and one that
    /// cannot be a code is ignored.</param>
    public async Task<Result<SessionView>> LoginAsync(string? code, string? shareCode, CancellationToken cancellationToken)
    {
        shareCode = Domain.Agents.ShareCodes.Usable(shareCode); // another scene's string, or garbage: logged in unattributed
        if (string.IsNullOrWhiteSpace(code) || code.Length > 128) return Error.Validation("code", "is required: the code from wx.login");

        Code2SessionResponse session;
        try
        {
            session = await weChat.Code2SessionAsync(code, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogWeChatUnreachable(logger, e);
            return Unavailable();
        }

        if (session.ErrCode == 0 && !string.IsNullOrEmpty(session.OpenId))
        {
            if (!limits.TryAcquire(Platform.BuyerAction.Login, Domain.Orders.OrderIds.ConsumerKey(session.OpenId)))
                return new Error(ErrorCodes.RateLimited, "Too many logins from this WeChat user; try again in a minute.");
            var (token, expiresAt) = tokens.Issue(session.OpenId);
            if (shareCode is not null) await agents.BindAsync(Domain.Orders.OrderIds.ConsumerKey(session.OpenId), shareCode, cancellationToken);
            return new SessionView(token, expiresAt);
        }
        LogWeChatRefused(logger, session.ErrCode);
        return session.ErrCode switch
        {
            40029 or 40163 => new Error(ErrorCodes.WeChatCodeInvalid, "The login code is invalid or was already used; call wx.login for a new one."),
            45011 => new Error(ErrorCodes.RateLimited, "WeChat is rate-limiting logins for this user; try again in a minute."),
            40226 => new Error(ErrorCodes.WeChatUserBlocked, "WeChat has blocked this user from logging in."),
            _ => Unavailable(),
        };
    }

    private static Error Unavailable() => new(ErrorCodes.WeChatUnavailable, "WeChat login is unavailable right now; try again shortly.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat code2Session could not be reached")]
    private static partial void LogWeChatUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat code2Session refused the login with errcode {ErrCode}")]
    private static partial void LogWeChatRefused(ILogger logger, int errCode);
}
