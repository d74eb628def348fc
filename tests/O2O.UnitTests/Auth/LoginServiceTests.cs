using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Auth;
using O2O.Application.Platform;
using O2O.Domain.Common;

namespace O2O.UnitTests.Auth;

/// <summary>How the login maps what WeChat answers, including when it does not answer.</summary>
public sealed class LoginServiceTests
{
    [Fact]
    public async Task A_good_code_is_exchanged_once_and_never_retried_when_wechat_fails()
    {
        var handler = new StubWeChat(_ => throw new HttpRequestException("connection refused"));

        var result = await Login(handler).LoginAsync("some-code", shareCode: null, CancellationToken.None);

        Assert.Equal(ErrorCodes.WeChatUnavailable, result.Error!.Code);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task The_request_carries_the_appid_secret_and_code_and_the_answer_becomes_a_session()
    {
        var handler = new StubWeChat(_ => """{"openid":"o-1","session_key":"secret-session-key"}""");

        var result = await Login(handler).LoginAsync("code/with?chars", shareCode: null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.DoesNotContain("secret-session-key", result.Value.Token, StringComparison.Ordinal);
        var query = handler.LastRequest!.RequestUri!.Query;
        Assert.Contains("appid=wx-app", query, StringComparison.Ordinal);
        Assert.Contains("secret=app-secret", query, StringComparison.Ordinal);
        Assert.Contains("js_code=code%2Fwith%3Fchars", query, StringComparison.Ordinal);
        Assert.Contains("grant_type=authorization_code", query, StringComparison.Ordinal);
        Assert.Equal("/sns/jscode2session", handler.LastRequest.RequestUri.AbsolutePath);
    }

    [Theory]
    [InlineData("""{"errcode":40029,"errmsg":"invalid code"}""", ErrorCodes.WeChatCodeInvalid)]
    [InlineData("""{"errcode":40163,"errmsg":"code been used"}""", ErrorCodes.WeChatCodeInvalid)]
    [InlineData("""{"errcode":45011,"errmsg":"api minute-quota reach limit"}""", ErrorCodes.RateLimited)]
    [InlineData("""{"errcode":40226,"errmsg":"high risk user"}""", ErrorCodes.WeChatUserBlocked)]
    [InlineData("""{"errcode":-1,"errmsg":"system error"}""", ErrorCodes.WeChatUnavailable)]
    [InlineData("""<html>gateway error</html>""", ErrorCodes.WeChatUnavailable)]
    public async Task WeChat_errors_become_problem_codes(string answer, string code)
    {
        var result = await Login(new StubWeChat(_ => answer)).LoginAsync("some-code", shareCode: null, CancellationToken.None);

        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public async Task A_wechat_that_does_not_answer_in_time_is_unavailable()
    {
        var handler = new StubWeChat(_ => throw new TaskCanceledException("timed out"));

        var result = await Login(handler).LoginAsync("some-code", shareCode: null, CancellationToken.None);

        Assert.Equal(ErrorCodes.WeChatUnavailable, result.Error!.Code);
    }

    private static LoginService Login(StubWeChat handler)
    {
        var weChat = new WeChatLoginClient(new HttpClient(handler), Options.Create(new WeChatSettings
        {
            AppId = "wx-app", AppSecret = "app-secret", ApiBaseUrl = "https://wechat.invalid/",
        }));
        var tokens = new SessionTokens(Options.Create(new AuthSettings { SessionSigningKey = new string('k', 32) }), new FakeTimeProvider());
        // No share code in these tests: the agents' table is never reached.
        var limits = new O2O.Application.Platform.BuyerRateLimits(TimeProvider.System);
        var agents = new O2O.Application.Agents.AgentService(
            new O2O.Application.Agents.AgentsTable(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true")),
            new O2O.Application.Catalog.CatalogCache(
                new O2O.Application.Catalog.SkuTable(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true")), TimeProvider.System),
            limits, Options.Create(new O2O.Application.Agents.AgentSettings()), TimeProvider.System);
        return new LoginService(weChat, tokens, agents, limits, NullLogger<LoginService>.Instance);
    }

    private sealed class StubWeChat(Func<HttpRequestMessage, string> answer) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        public HttpRequestMessage? LastRequest { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            LastRequest = request;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer(request)) });
        }
    }
}
