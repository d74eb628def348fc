using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using O2O.Application.Platform;

namespace O2O.Application.Auth;

/// <summary>
/// WeChat's code2Session (jscode2session). A login code works once, so a failed call is never
/// retried: the mini-program gets a fresh code from wx.login and tries again.
/// </summary>
public sealed class WeChatLoginClient(HttpClient http, IOptions<WeChatSettings> settings)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<Code2SessionResponse> Code2SessionAsync(string code, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var url = $"{s.ApiBaseUrl.TrimEnd('/')}/sns/jscode2session?appid={Uri.EscapeDataString(s.AppId)}"
                  + $"&secret={Uri.EscapeDataString(s.AppSecret)}&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        using var response = await http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        // WeChat answers JSON labelled text/plain, so read it regardless of the content type.
        return await response.Content.ReadFromJsonAsync<Code2SessionResponse>(cancellationToken)
               ?? throw new HttpRequestException("WeChat answered an empty body.");
    }
}

public sealed record Code2SessionResponse(
    [property: JsonPropertyName("openid")] string? OpenId,
    [property: JsonPropertyName("session_key")] string? SessionKey,
    [property: JsonPropertyName("unionid")] string? UnionId,
    [property: JsonPropertyName("errcode")] int ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);
