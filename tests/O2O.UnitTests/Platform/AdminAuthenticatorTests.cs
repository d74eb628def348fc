using Microsoft.Extensions.Options;
using O2O.Application.Auth;

namespace O2O.UnitTests.Platform;

public sealed class AdminAuthenticatorTests
{
    private const string Key = "a-long-enough-admin-key-123456";

    [Fact]
    public void Only_the_exact_key_is_an_admin()
    {
        var admin = new AdminAuthenticator(Options.Create(new AuthSettings { AdminApiKey = Key }));

        Assert.True(admin.IsAdmin(Key));
        Assert.False(admin.IsAdmin(Key + "x"));
        Assert.False(admin.IsAdmin(Key[..^1]));
        Assert.False(admin.IsAdmin(Key.ToUpperInvariant()));
        Assert.False(admin.IsAdmin(""));
        Assert.False(admin.IsAdmin(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public void An_unset_or_short_key_lets_nobody_in(string configured)
    {
        var admin = new AdminAuthenticator(Options.Create(new AuthSettings { AdminApiKey = configured }));

        Assert.False(admin.IsAdmin(configured));
        Assert.False(admin.IsAdmin(""));
    }
}
