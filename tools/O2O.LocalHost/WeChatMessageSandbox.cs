using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace O2O.LocalHost;

/// <summary>
/// A stand-in for api.weixin.qq.com's /cgi-bin/token and /cgi-bin/message/subscribe/send under
/// /sandbox/wechat: appid and secret are checked, tokens live two hours (or until
/// <see cref="ExpireTokens"/>, answering 42001), an openid starting "nosub-" has not subscribed
/// (43101), and every message sent is kept (<see cref="Sent"/>). Errors come as HTTP 200 with an
/// errcode, as WeChat's do.
/// </summary>
public sealed class WeChatMessageSandbox(IConfiguration configuration)
{
    public sealed record Message(string ToUser, string TemplateId, string Page, JsonElement Data);

    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly ConcurrentQueue<Message> _sent = new();

    public IReadOnlyList<Message> Sent => [.. _sent];

    /// <summary>Every token issued so far now answers 42001 (expired).</summary>
    public void ExpireTokens()
    {
        foreach (var token in _tokens.Keys) _tokens[token] = false;
    }

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<WeChatMessageSandbox>();
        app.MapGet(WeChatSandbox.BasePath + "/cgi-bin/token", sandbox.Token);
        app.MapPost(WeChatSandbox.BasePath + "/cgi-bin/message/subscribe/send", sandbox.SendAsync);
    }

    private IResult Token(HttpRequest request)
    {
        if (request.Query["grant_type"] != "client_credential") return WeChatSandbox.Error(40002, "invalid grant_type");
        if (request.Query["appid"] != configuration["WeChat:AppId"]) return WeChatSandbox.Error(40013, "invalid appid");
        if (request.Query["secret"] != configuration["WeChat:AppSecret"]) return WeChatSandbox.Error(40125, "invalid appsecret");
        var token = "sandbox-token-" + Guid.NewGuid().ToString("N");
        _tokens[token] = true;
        return Results.Json(new { access_token = token, expires_in = 7200 });
    }

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        var token = request.Query["access_token"].ToString();
        if (!_tokens.TryGetValue(token, out var valid)) return WeChatSandbox.Error(40001, "invalid credential, access_token is invalid or not latest");
        if (!valid) return WeChatSandbox.Error(42001, "access_token expired");
        var body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
        var toUser = body.GetProperty("touser").GetString() ?? "";
        if (toUser.StartsWith("nosub-", StringComparison.Ordinal)) return WeChatSandbox.Error(43101, "user refuse to accept the msg");
        _sent.Enqueue(new Message(toUser, body.GetProperty("template_id").GetString() ?? "", body.GetProperty("page").GetString() ?? "", body.GetProperty("data")));
        return WeChatSandbox.Error(0, "ok");
    }
}
