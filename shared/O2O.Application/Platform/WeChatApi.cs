using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace O2O.Application.Platform;

/// <summary>
/// The mini-program's server API (api.weixin.qq.com) with its access token, which is cached until
/// shortly before it expires and fetched again, once, when WeChat says it is invalid or expired
/// (40001, 42001). The token comes from /cgi-bin/stable_token in its normal mode, which hands every
/// caller the same token while it is valid: /cgi-bin/token would issue a new one on every call,
/// each instance's fetch invalidating the others' tokens and spending the daily quota.
/// force_refresh (20 a day) is never used. WeChat answers errors with HTTP 200 and an errcode.
/// </summary>
public sealed class WeChatApi(HttpClient http, AccessTokenCache tokens, IOptions<WeChatSettings> settings)
{
    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> with the access token; answers WeChat's JSON, whatever its errcode.</summary>
    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(FetchTokenAsync, forceRefresh: attempt > 0, cancellationToken);
            using var response = await http.PostAsJsonAsync(Url($"{path}?access_token={Uri.EscapeDataString(token)}"), body, cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (ErrCode(answer) is 40001 or 42001 && attempt == 0) continue; // the cached token went stale: fetch a new one, once
            return answer;
        }
    }

    public static int ErrCode(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var value) ? value : 0;

    public static string? ErrMsg(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("errmsg", out var message) ? message.GetString() : null;

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        using var response = await http.PostAsJsonAsync(Url("/cgi-bin/stable_token"),
            new Dictionary<string, object> { ["grant_type"] = "client_credential", ["appid"] = s.AppId, ["secret"] = s.AppSecret, ["force_refresh"] = false },
            cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken);
        if (answer is not { ErrCode: 0, AccessToken: { Length: > 0 } token })
            throw new WeChatApiException($"stable_token answered {answer?.ErrCode}: {answer?.ErrMsg}");
        return (token, TimeSpan.FromSeconds(answer.ExpiresIn));
    }

    private Uri Url(string pathAndQuery) => new(settings.Value.ApiBaseUrl.TrimEnd('/') + pathAndQuery);

    private sealed class TokenAnswer
    {
        [JsonPropertyName("errcode")] public int ErrCode { get; set; }
        [JsonPropertyName("errmsg")] public string? ErrMsg { get; set; }
        [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
        [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
    }
}

/// <summary>The mini-program's access token, shared by every request of the instance (WeChat limits how often it may be fetched).</summary>
public sealed class AccessTokenCache(TimeProvider clock)
{
    /// <summary>Fetched again this long before WeChat's expiry, so a token never expires in flight.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private (string Token, DateTimeOffset Until)? _current;

    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch,
        bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh && _current is { } cached && clock.GetUtcNow() < cached.Until) return cached.Token;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!forceRefresh && _current is { } again && clock.GetUtcNow() < again.Until) return again.Token;
            var (token, lifetime) = await fetch(cancellationToken);
            _current = (token, clock.GetUtcNow() + lifetime - Margin);
            return token;
        }
        finally
        {
            _lock.Release();
        }
    }
}

public sealed class WeChatApiException(string message) : Exception(message);
