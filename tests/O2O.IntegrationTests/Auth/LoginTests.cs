namespace O2O.IntegrationTests.Auth;

public sealed class LoginTests
{
    [Fact]
    public async Task One_wechat_user_logging_in_over_and_over_is_told_to_wait()
    {
        var app = await TestApp.Shared;
        var openId = "o-" + Guid.NewGuid().ToString("N");
        var perMinute = O2O.Application.Platform.BuyerRateLimits.PerMinute(O2O.Application.Platform.BuyerAction.Login);

        // Twice the limit and one more: whatever minute boundary falls among them, some are refused.
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 2 * perMinute + 1; i++) answers.Add(await app.Http.PostAsJsonAsync("auth/wechat-login", new { code = "dev:" + openId }));

        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), perMinute, 2 * perMinute);
        await answers.Last(a => a.StatusCode != HttpStatusCode.OK).ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task A_wechat_code_becomes_a_session_token_and_the_session_key_stays_on_the_server()
    {
        var app = await TestApp.Shared;

        var response = await app.Http.PostAsJsonAsync("auth/wechat-login", new { code = "dev:o-login-test" });

        var session = await response.ReadOkAsync();
        Assert.False(string.IsNullOrEmpty(session.GetProperty("token").GetString()));
        Assert.InRange(session.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(100), DateTimeOffset.UtcNow.AddMinutes(121));
        Assert.DoesNotContain("session", session.ToString().Replace("\"token\"", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("not-a-real-code", HttpStatusCode.Unauthorized, "wechat_code_invalid")]
    [InlineData("dev-errcode:40029", HttpStatusCode.Unauthorized, "wechat_code_invalid")]
    [InlineData("dev-errcode:45011", HttpStatusCode.TooManyRequests, "rate_limited")]
    [InlineData("dev-errcode:40226", HttpStatusCode.Forbidden, "wechat_user_blocked")]
    [InlineData("dev-errcode:-1", HttpStatusCode.ServiceUnavailable, "wechat_unavailable")]
    public async Task WeChat_errors_map_to_clear_problems(string code, HttpStatusCode status, string problemCode)
    {
        var app = await TestApp.Shared;

        await (await app.Http.PostAsJsonAsync("auth/wechat-login", new { code })).ReadProblemAsync(status, problemCode);
    }

    [Theory]
    [InlineData("""{}""", "code")]
    [InlineData("""{"code":""}""", "code")]
    [InlineData("""{"code":42}""", "code")]
    public async Task A_login_without_a_code_is_a_400(string body, string field)
    {
        var app = await TestApp.Shared;

        await (await app.Http.PostAsync("auth/wechat-login", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ReadValidationProblemAsync(field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("v1.b3JkZXI.9999999999.AAAA")]
    public async Task Order_routes_refuse_a_missing_or_forged_token(string? token)
    {
        var app = await TestApp.Shared;
        using var client = new HttpClient { BaseAddress = app.Http.BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        await (await client.GetAsync("orders")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await client.PlaceAsync(Checkout.PickupAt("S-001", ("TEA-001", 1)))).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
