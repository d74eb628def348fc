using System.Collections.Concurrent;
using System.Text.Json;

namespace O2O.LocalHost;

/// <summary>
/// A stand-in for api.weixin.qq.com's /cgi-bin/stable_token (the token every other sandbox API
/// checks, <see cref="TokenError"/>) and /cgi-bin/message/subscribe/send
/// under /sandbox/wechat: appid and secret are checked; in normal mode every caller gets the one
/// current token (with the seconds it has left) until it expires (after two hours, or at
/// <see cref="ExpireTokens"/>, answering 42001 then), and force_refresh replaces it at once; an
/// openid starting "nosub-" has not subscribed (43101), and every message sent is kept
/// (<see cref="Sent"/>). Errors come as HTTP 200 with an errcode, as WeChat's do.
/// </summary>
public sealed class WeChatMessageSandbox(IConfiguration configuration)
{
    public sealed record Message(string ToUser, string TemplateId, string Page, JsonElement Data);

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly ConcurrentQueue<Message> _sent = new();
    private readonly Lock _issue = new();
    private (string Token, DateTimeOffset Until)? _current;
    private int _issued;

    public IReadOnlyList<Message> Sent => [.. _sent];

    /// <summary>How many distinct tokens were ever handed out.</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>Every token issued so far now answers 42001 (expired).</summary>
    public void ExpireTokens()
    {
        lock (_issue)
        {
            foreach (var token in _tokens.Keys) _tokens[token] = false;
            _current = null;
        }
    }

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<WeChatMessageSandbox>();
        app.MapPost(WeChatSandbox.BasePath + "/cgi-bin/stable_token", sandbox.StableTokenAsync);
        app.MapPost(WeChatSandbox.BasePath + "/cgi-bin/message/subscribe/send", sandbox.SendAsync);
    }

    private async Task<IResult> StableTokenAsync(HttpRequest request)
    {
        var body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        string? Text(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Text("grant_type") != "client_credential") return WeChatSandbox.Error(40002, "invalid grant_type");
        if (Text("appid") != configuration["WeChat:AppId"]) return WeChatSandbox.Error(40013, "invalid appid");
        if (Text("secret") != configuration["WeChat:AppSecret"]) return WeChatSandbox.Error(40125, "invalid appsecret");
        var force = body.TryGetProperty("force_refresh", out var f) && f.ValueKind == JsonValueKind.True;
        var now = DateTimeOffset.UtcNow;
        lock (_issue)
        {
            if (force || _current is not { } current || current.Until <= now)
            {
                if (_current is { } replaced) _tokens[replaced.Token] = false;
                current = ("sandbox-token-" + Guid.NewGuid().ToString("N"), now + Lifetime);
                _current = current;
                _tokens[current.Token] = true;
                _issued++;
            }
            return Results.Json(new { access_token = current.Token, expires_in = (int)(current.Until - now).TotalSeconds });
        }
    }

    /// <summary>WeChat's answer to a call with the request's access_token when it is not a valid one; null when it is.</summary>
    public IResult? TokenError(HttpRequest request) =>
        !_tokens.TryGetValue(request.Query["access_token"].ToString(), out var valid)
            ? WeChatSandbox.Error(40001, "invalid credential, access_token is invalid or not latest")
            : valid ? null : WeChatSandbox.Error(42001, "access_token expired");

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        if (TokenError(request) is { } refused) return refused;
        var body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
        var toUser = body.GetProperty("touser").GetString() ?? "";
        if (toUser.StartsWith("nosub-", StringComparison.Ordinal)) return WeChatSandbox.Error(43101, "user refuse to accept the msg");
        _sent.Enqueue(new Message(toUser, body.GetProperty("template_id").GetString() ?? "",
            body.GetProperty("page").GetString() ?? "", body.GetProperty("data")));
        return WeChatSandbox.Error(0, "ok");
    }
}
