using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Auth;

namespace O2O.UnitTests.Auth;

public sealed class SessionTokensTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    private SessionTokens Tokens(string key = "a-session-signing-key-of-32-chars!!") =>
        new(Options.Create(new AuthSettings { SessionSigningKey = key }), _clock);

    [Fact]
    public void A_token_names_its_openid_until_it_expires()
    {
        var tokens = Tokens();
        var (token, expiresAt) = tokens.Issue("o-微信-user");

        Assert.Equal("o-微信-user", tokens.Validate(token));
        Assert.Equal(_clock.GetUtcNow() + SessionTokens.Lifetime, expiresAt);
        _clock.Advance(SessionTokens.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal("o-微信-user", tokens.Validate(token));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void A_token_signed_with_the_key_that_claims_to_last_longer_than_the_lifetime_is_refused()
    {
        const string key = "a-session-signing-key-of-32-chars!!";
        string Minted(TimeSpan lasting)
        {
            var expiry = (_clock.GetUtcNow() + lasting).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var payload = $"v1.{System.Buffers.Text.Base64Url.EncodeToString("o-someone-else"u8)}.{expiry}";
            var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(payload));
            return $"{payload}.{System.Buffers.Text.Base64Url.EncodeToString(mac)}";
        }

        Assert.Null(Tokens(key).Validate(Minted(TimeSpan.FromDays(3650))));
        Assert.Null(Tokens(key).Validate(Minted(SessionTokens.Lifetime + SessionTokens.MaxClockSkew + TimeSpan.FromSeconds(1))));
        Assert.Equal("o-someone-else",
            Tokens(key).Validate(Minted(SessionTokens.Lifetime + SessionTokens.MaxClockSkew))); // an instance whose clock runs a little ahead
    }

    [Fact]
    public void An_altered_or_foreign_token_is_refused()
    {
        var (token, _) = Tokens().Issue("o-alice");
        var parts = token.Split('.');
        var otherUser = string.Join('.', parts[0], Convert.ToBase64String("o-bob"u8.ToArray()).TrimEnd('='), parts[2], parts[3]);
        var later = string.Join('.', parts[0], parts[1], "9999999999", parts[3]);

        Assert.Null(Tokens().Validate(otherUser));
        Assert.Null(Tokens().Validate(later));
        Assert.Null(Tokens("another-signing-key-of-32-chars!!!!").Validate(token));
        Assert.Null(Tokens().Validate(token + "x"));
        Assert.Null(Tokens().Validate("v1.x.y"));
        Assert.Null(Tokens().Validate(null));
    }

    [Fact]
    public void Without_a_long_enough_key_no_token_is_issued_or_accepted()
    {
        var (token, _) = Tokens().Issue("o-alice");

        Assert.Throws<InvalidOperationException>(() => Tokens("short").Issue("o-alice"));
        Assert.Null(Tokens("short").Validate(token));
    }
}
