using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using O2O.Domain.HeadOffice;

namespace O2O.Application.HeadOffice;

/// <summary>
/// Recognises head office by a Microsoft Entra ID access token, with Microsoft's identity libraries: the issuer and signing keys
/// come from the authority's OpenID metadata (cached, refreshed when a token names a key not yet seen: Entra rotates them), the
/// audience is the app registration, the lifetime is checked on the app's clock, and the roles are the token's app roles.
/// </summary>
public sealed class EntraTokens
{
    public const string HttpClientName = nameof(EntraTokens);

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly string[] _audiences;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _clock;
    private readonly ILogger<EntraTokens> _logger;

    public EntraTokens(IOptions<HeadOfficeSettings> options, IHttpClientFactory http, TimeProvider clock, ILogger<EntraTokens> logger)
    {
        var settings = options.Value;
        _clock = clock;
        _logger = logger;
        _audiences = [settings.ClientId, "api://" + settings.ClientId];
        if (settings.Authority.Length == 0 || settings.ClientId.Length == 0) return;
        var authority = settings.Authority.TrimEnd('/');
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(authority + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            // Plain http only for the local sandbox: a deployed app refuses such an authority (HeadOfficeSettingsCheck).
            new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = authority.StartsWith("https://", StringComparison.Ordinal) });
    }

    /// <summary>Whether tokens are looked at at all (an authority and a client id are set).</summary>
    public bool Configured => _metadata is not null;

    /// <summary>Where the page sends a person to sign in and redeems the code, as the authority's metadata says; null when not configured.</summary>
    public async Task<SignInEndpoints?> EndpointsAsync(CancellationToken cancellationToken)
    {
        if (_metadata is null) return null;
        var metadata = await MetadataAsync(cancellationToken);
        return new SignInEndpoints(metadata.AuthorizationEndpoint, metadata.TokenEndpoint);
    }

    /// <summary>The person a valid token names, or null for any token that is not one (expired, another audience, forged, …).</summary>
    public async Task<Staff?> StaffAsync(string token, CancellationToken cancellationToken)
    {
        if (_metadata is null) return null;
        var result = await ValidateAsync(token, cancellationToken);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            _metadata.RequestRefresh(); // a key Entra has rolled to since the metadata was read
            result = await ValidateAsync(token, cancellationToken);
        }
        if (!result.IsValid)
        {
            _logger.LogInformation("Head-office token refused: {Reason}", result.Exception?.GetType().Name);
            return null;
        }
        var claims = result.ClaimsIdentity;
        var id = claims.FindFirst("oid")?.Value ?? claims.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(id)) return null;
        var name = claims.FindFirst("name")?.Value ?? claims.FindFirst("preferred_username")?.Value ?? id;
        return new Staff(id, name, "entra", Staff.RolesFrom(claims.FindAll("roles").Select(c => c.Value)));
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        return await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = metadata.Issuer,
            ValidAudiences = _audiences,
            IssuerSigningKeys = metadata.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, _) => Lives(notBefore, expires),
        });
    }

    /// <summary>The authority's metadata (cached); <see cref="EntraUnavailableException"/> when it cannot be read and none is cached.</summary>
    private async Task<OpenIdConnectConfiguration> MetadataAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _metadata!.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException e) // IDX20803: the metadata endpoint did not answer
        {
            throw new EntraUnavailableException(e);
        }
    }

    private bool Lives(DateTime? notBefore, DateTime? expires)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return expires is { } end && now < end + ClockSkew && (notBefore is not { } start || now >= start - ClockSkew);
    }
}

/// <summary>The authority's authorization and token endpoints (OAuth 2.0 authorization code with PKCE, as a single-page app signs in).</summary>
public sealed record SignInEndpoints(string Authorize, string Token);

/// <summary>Entra ID's metadata cannot be read: no token can be checked now (a 503, not a sign-in to repeat).</summary>
public sealed class EntraUnavailableException(Exception inner) : Exception("Microsoft Entra ID's sign-in metadata cannot be read now.", inner);
