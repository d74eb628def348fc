using System.Net.Http.Headers;
using System.Text;
using O2O.Application.HeadOffice;
using O2O.Functions.Operations;

namespace O2O.IntegrationTests.HeadOffice;

/// <summary>Who may use head office's routes: Entra ID tokens (of the sandbox), the admin key, and the platform's principal only where a setting
/// says so.</summary>
public sealed class HeadOfficeAccessTests
{
    /// <summary>Every head-office route of the app as the host serves it, placeholders filled in; the sign-in page's public settings excepted.</summary>
    private static IEnumerable<(HttpMethod Method, string Path)> HeadOfficeRoutes() =>
        FunctionIndex.Discover(typeof(GetHealth).Assembly.GetTypes()).Http
            .Where(f => f.Route.StartsWith("api/admin/", StringComparison.Ordinal) && f.Route != "api/admin/sign-in")
            .Select(f => (new HttpMethod(f.Verbs![0].ToUpperInvariant()),
                System.Text.RegularExpressions.Regex.Replace(f.Route["api/".Length..], "{[^}]+}", "x1")));

    [Fact]
    public async Task Every_head_office_route_refuses_no_credentials_a_forged_principal_and_tokens_that_are_not_entras()
    {
        var app = await TestApp.Shared;
        var sandbox = app.Host.Services.GetRequiredService<EntraSandbox>();
        using var otherEntra = new EntraSandbox(); // another key pair: a token it signs is forged here
        var forgedPrincipal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"oid","val":"x"},{"typ":"roles","val":"admin"}],"name_typ":"name","role_typ":"roles"}"""));
        var refusals = new (string Why, Action<HttpRequestMessage> Sign)[]
        {
            ("no credentials", _ => { }),
            ("a principal header the platform did not set (with the admin key beside it)", r =>
            {
                r.Headers.Add(PlatformPrincipal.Header, forgedPrincipal);
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.AdminKey);
            }),
            ("a token signed by another key", r => Bearer(r, otherEntra.Issue(app.Host.BaseAddress(), TestApp.HeadOfficeClientId, "Mallory", ["admin"]))),
            ("an expired token", r => Bearer(r, sandbox.Issue(app.Host.BaseAddress(), TestApp.HeadOfficeClientId, "Late", ["admin"],
                lifetime: TimeSpan.FromMinutes(10), now: DateTimeOffset.UtcNow.AddHours(-1)))),
            ("a token for another app", r => Bearer(r, sandbox.Issue(app.Host.BaseAddress(), "another-app", "Elsewhere", ["admin"]))),
            ("a store's key", r => Bearer(r, "not-a-token-but-a-store-key-0123456789")),
        };
        var routes = HeadOfficeRoutes().ToList();
        Assert.True(routes.Count >= 20, $"only {routes.Count} head-office routes found");

        foreach (var (why, sign) in refusals)
            foreach (var (method, path) in routes)
            {
                using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { }) };
                sign(request);
                var response = await app.Http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {why}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

        // A real token of someone without a head-office role opens nothing either.
        using var noRole = app.Staff("Guest");
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { }) };
            Assert.Equal(HttpStatusCode.Forbidden, (await noRole.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Each_role_changes_only_its_own_things_and_every_role_reads()
    {
        var app = await TestApp.Shared;
        var world = new StoreWorld(app);
        var store = await world.StoreAsync(eastM: 100);
        var sku = await world.SkuAsync();
        using var operatorClient = app.Staff("Olivia Operator", "operator");
        using var finance = app.Staff("Fang Finance", "finance");
        using var admin = app.Staff("Ada Admin", "admin");
        var storeBody = (await (await app.Admin.GetAsync($"admin/stores/{store}")).ReadOkAsync()).GetRawText();
        var agentId = TestApp.UniqueId("AG");
        var agent = new { openId = "o-" + Guid.NewGuid().ToString("N"), name = "Xiao Li", tier = "gold", active = true };

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutJsonAsync($"admin/stores/{store}", storeBody)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutJsonAsync($"admin/stores/{store}/stock/{sku}", new { onHand = 5 })).StatusCode);
        var denied = await (await operatorClient.PutJsonAsync($"admin/agents/{agentId}", agent))
            .ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("finance", denied.GetProperty("needs").GetString());
        await (await operatorClient.PostAsync($"admin/stores/{store}/keys", null)).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await operatorClient.PostAsync($"admin/after-sales/{TestApp.UniqueId("C")}/approve", null))
            .ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        await (await finance.PutJsonAsync($"admin/stores/{store}", storeBody)).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await finance.PutJsonAsync($"admin/skus/{sku}", new { name = "x", priceFen = 1, active = true }))
            .ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await finance.PostAsync($"admin/stores/{store}/keys", null)).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await finance.PutJsonAsync($"admin/agents/{agentId}", agent)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"admin/stores/{store}/keys", null)).StatusCode);

        foreach (var client in new[] { operatorClient, finance, admin })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"admin/stores/{store}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"admin/agents/{agentId}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin/audit")).StatusCode);
        }
        var me = await (await finance.GetAsync("admin/me")).ReadOkAsync();
        Assert.Equal("Fang Finance", me.GetProperty("name").GetString());
        Assert.Equal("entra", me.GetProperty("via").GetString());
        Assert.Equal(["finance"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_platform_principal_is_taken_where_the_setting_says_the_platform_sets_it()
    {
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes,
            overrides: new Dictionary<string, string?> { ["HeadOffice__PlatformPrincipal"] = "true" });
        string Principal(string oid, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
        {
            auth_typ = "aad", name_typ = "name", role_typ = "roles",
            claims = new[]
                {
                    new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = oid }, new { typ = "name", val = "Pat Platform" },
                }
                .Concat(roles.Select(r => new { typ = "roles", val = r })),
        })));
        async Task<HttpResponseMessage> AsPrincipal(HttpMethod method, string path, string principal, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Add(PlatformPrincipal.Header, principal);
            return await app.Http.SendAsync(request);
        }

        var me = await (await AsPrincipal(HttpMethod.Get, "admin/me", Principal("oid-1", "finance"))).ReadOkAsync();
        Assert.Equal("Pat Platform", me.GetProperty("name").GetString());
        Assert.Equal("platform", me.GetProperty("via").GetString());
        await (await AsPrincipal(HttpMethod.Put, $"admin/skus/{TestApp.UniqueId("T")}", Principal("oid-1", "finance"),
            new { name = "x", priceFen = 100, active = true })).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await AsPrincipal(HttpMethod.Get, "admin/me", Principal("oid-2"))).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await AsPrincipal(HttpMethod.Get, "admin/me", "not base64 json")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task When_Entra_ID_cannot_be_reached_a_token_gets_a_503_not_a_sign_in_loop_and_the_admin_key_still_works()
    {
        // Nothing listens on port 1: the metadata cannot be read.
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes,
            overrides: new Dictionary<string, string?> { ["HeadOffice__Authority"] = "http://127.0.0.1:1/sandbox/entra/t/v2.0" });
        using var person = new HttpClient { BaseAddress = app.Http.BaseAddress };
        using var entra = new EntraSandbox();
        person.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            entra.Issue(app.Host.BaseAddress(), TestApp.HeadOfficeClientId, "Fang Finance", ["finance"]));

        await (await person.GetAsync("admin/me")).ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        await (await app.Http.GetAsync("admin/sign-in")).ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.Equal("admin-key", (await (await app.Admin.GetAsync("admin/me")).ReadOkAsync()).GetProperty("via").GetString());
    }

    private static void Bearer(HttpRequestMessage request, string token) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
