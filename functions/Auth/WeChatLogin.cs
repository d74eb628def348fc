using O2O.Application.Auth;

namespace O2O.Functions.Auth;

public sealed class WeChatLogin(LoginService login)
{
    [Function(nameof(WeChatLogin))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/auth/wechat-login")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        return await JsonBody.AnswerAsync(request, (LoginRequest body) => login.LoginAsync(body.Code, body.ShareCode, cancellationToken), cancellationToken);
    }

    /// <param name="ShareCode">The agent's share code the mini-program was opened with, if any.</param>
    public sealed record LoginRequest(string? Code, string? ShareCode);
}
