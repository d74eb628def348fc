using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace O2O.LocalHost;

/// <summary>
/// A stand-in for Microsoft Entra ID's v2.0 endpoints under /sandbox/entra/{tenant}, speaking its protocol: the OpenID metadata,
/// the signing keys (an RSA key of this host's own, made at start), the authorization code flow with PKCE (S256) that a
/// single-page app uses, and RS256 access tokens with Entra's claims (iss, aud, oid, name, preferred_username, roles, tid). Its
/// authorize page is the development sign-in: any name, any head-office roles, clearly marked as such. The app reads it only
/// through HeadOffice__Authority, as it would read login.microsoftonline.com, and a deployed app refuses a plain-http authority.
/// </summary>
public sealed class EntraSandbox : IDisposable
{
    public const string BasePath = "/sandbox/entra";
    public const string Tenant = "00000000-0000-0000-0000-0000000de7e1";
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    private static readonly string[] Roles = ["operator", "finance", "admin"];

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();

    public EntraSandbox()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) };
    }

    private sealed record PendingCode(string ClientId, string RedirectUri, string Challenge, string Name, string[] Roles, DateTimeOffset Expires);

    /// <summary>The authority the app is given: {host}/sandbox/entra/{tenant}/v2.0.</summary>
    public static string Authority(Uri host) => $"{host.ToString().TrimEnd('/')}{BasePath}/{Tenant}/v2.0";

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<EntraSandbox>();
        var tenant = BasePath + "/{tenant}";
        app.MapGet(tenant + "/v2.0/.well-known/openid-configuration", (HttpRequest r, string tenant) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer(r, tenant),
            ["authorization_endpoint"] = $"{Root(r)}/{tenant}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{Root(r)}/{tenant}/oauth2/v2.0/token",
            ["jwks_uri"] = $"{Root(r)}/{tenant}/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet(tenant + "/discovery/v2.0/keys", () => Results.Json(new { keys = new[] { sandbox.PublicJwk() } }));
        app.MapGet(tenant + "/oauth2/v2.0/authorize", (HttpRequest r) => SignInPage(r.Query));
        app.MapPost(tenant + "/oauth2/v2.0/authorize", (Delegate)sandbox.AuthorizeAsync);
        app.MapPost(tenant + "/oauth2/v2.0/token", (Delegate)sandbox.TokenAsync);
    }

    /// <summary>A token as Entra would issue it for this app: what a test signs in with, without the page.</summary>
    public string Issue(Uri host, string audience, string name, IEnumerable<string> roles, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var oid = new Guid(MD5.HashData(Encoding.UTF8.GetBytes(name))).ToString(); // one person, one oid
        var claims = new Dictionary<string, object>
        {
            ["oid"] = oid, ["sub"] = oid, ["tid"] = Tenant, ["name"] = name, ["preferred_username"] = $"{oid[..8]}@o2o.dev",
            ["roles"] = roles.ToArray(), ["ver"] = "2.0", ["scp"] = "HeadOffice",
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority(host), Audience = audience, Claims = claims,
            IssuedAt = at.UtcDateTime, NotBefore = at.UtcDateTime, Expires = (at + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    private object PublicJwk()
    {
        var p = _rsa.ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", use = "sig", kid = _key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
    }

    private async Task<IResult> AuthorizeAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var name = form["name"].ToString().Trim();
        var redirect = form["redirect_uri"].ToString();
        if (name.Length == 0 || !Uri.TryCreate(redirect, UriKind.Absolute, out _)
            || form["code_challenge_method"] != "S256" || form["code_challenge"].Count == 0)
            return Results.BadRequest("name, redirect_uri and an S256 code_challenge are required");
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new PendingCode(form["client_id"].ToString(), redirect, form["code_challenge"].ToString(), name,
            [.. form["roles"].Where(r => Roles.Contains(r)).Select(r => r!)], DateTimeOffset.UtcNow + CodeLifetime);
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirect}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(form["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (form["grant_type"] != "authorization_code") return TokenError("unsupported_grant_type", "AADSTS70003: only authorization_code");
        if (!_codes.TryRemove(form["code"].ToString(), out var pending) || pending.Expires < DateTimeOffset.UtcNow)
            return TokenError("invalid_grant", "AADSTS70008: the code has expired or was used");
        if (pending.ClientId != form["client_id"] || pending.RedirectUri != form["redirect_uri"])
            return TokenError("invalid_grant", "AADSTS50148: client_id or redirect_uri differ from the authorization request");
        var verifier = form["code_verifier"].ToString();
        if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != pending.Challenge)
            return TokenError("invalid_grant", "AADSTS501481: the code_verifier does not match the code_challenge");
        var host = new Uri($"{request.Scheme}://{request.Host}");
        var token = Issue(host, pending.ClientId, pending.Name, pending.Roles);
        request.HttpContext.Response.Headers.AccessControlAllowOrigin = "*";
        return Results.Json(new { token_type = "Bearer", access_token = token, expires_in = 3600, scope = form["scope"].ToString() });
    }

    private static IResult TokenError(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);

    private static string Root(HttpRequest r) => $"{r.Scheme}://{r.Host}{BasePath}";

    private static string Issuer(HttpRequest r, string tenant) => $"{Root(r)}/{tenant}/v2.0";

    /// <summary>The development sign-in: pick a name and roles; the form carries the app's authorization request on.</summary>
    private static IResult SignInPage(IQueryCollection query)
    {
        string Hidden(string name) => $"<input type=\"hidden\" name=\"{name}\" value=\"{WebUtility.HtmlEncode(query[name].ToString())}\">";
        var roles = string.Concat(Roles.Select(r =>
            $"<label><input type=\"checkbox\" name=\"roles\" value=\"{r}\"{(r == "admin" ? "" : " checked")}> {r}</label>"));
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Development sign-in · 开发用登录</title>
            <style>body{font:16px system-ui,sans-serif;margin:0;background:#fff7e6;color:#222}main{max-width:30rem;margin:2rem auto;padding:1rem}
            .dev{background:#8a4b00;color:#fff;padding:.75rem 1rem;font-weight:600}label{display:block;margin:.6rem 0}
            input[type=text]{font:inherit;padding:.5rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.6rem 1.2rem;margin-top:1rem}
            fieldset{border:1px solid #999;margin-top:1rem}</style></head>
            <body><p class="dev" role="note">DEVELOPMENT ONLY · 仅限开发环境 — a local stand-in for Microsoft Entra ID. No password is asked:
            whoever reaches this page signs in as anyone. A deployed app never uses it.</p>
            <main><h1>Development sign-in · 开发用登录</h1>
            <form method="post">
            {{Hidden("client_id")}}{{Hidden("redirect_uri")}}{{Hidden("state")}}{{Hidden("scope")}}
            {{Hidden("code_challenge")}}{{Hidden("code_challenge_method")}}
            <label for="name">Name · 姓名</label><input type="text" id="name" name="name" required value="Dev Operator">
            <fieldset><legend>App roles · 角色</legend>{{roles}}</fieldset>
            <button type="submit">Sign in · 登录</button></form></main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    public void Dispose() => _rsa.Dispose();
}
