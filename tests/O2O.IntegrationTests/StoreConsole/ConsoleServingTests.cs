using System.Net.Http.Headers;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>The console's files and the OpenAPI document as the app serves them.</summary>
public sealed class ConsoleServingTests
{
    [Fact]
    public async Task The_console_page_is_served_with_a_policy_that_allows_only_the_apps_own_scripts()
    {
        var app = await TestApp.Shared;

        var page = await app.Http.GetAsync("/console/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/console/app.js", html, StringComparison.Ordinal);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("text/javascript", (await app.Http.GetAsync("/console/app.js")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/console/api/")).StatusCode);
        var withoutSlash = await app.Http.GetAsync("/console"); // as a clerk types it: the same page (its links are absolute)
        Assert.Equal(html, await withoutSlash.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_the_head_office_page_may_call_the_sign_in_authority_and_only_that_origin()
    {
        var app = await TestApp.Shared;
        var authority = new Uri(EntraSandbox.Authority(app.Host.BaseAddress())).GetLeftPart(UriPartial.Authority);

        var headOffice = (await app.Http.GetAsync("/console/hq/")).Headers.GetValues("Content-Security-Policy").Single();
        var store = (await app.Http.GetAsync("/console/")).Headers.GetValues("Content-Security-Policy").Single();

        Assert.EndsWith($"; connect-src 'self' {authority}", headOffice, StringComparison.Ordinal);
        Assert.DoesNotContain("connect-src", store, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_is_revalidated_by_its_etag_and_a_name_that_is_not_a_console_file_is_a_404()
    {
        var app = await TestApp.Shared;
        var first = await app.Http.GetAsync("/console/style.css");
        var again = new HttpRequestMessage(HttpMethod.Get, "/console/style.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var revalidated = await app.Http.SendAsync(again);

        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        foreach (var path in new[] { "/console/nope.js", "/console/app.js.map", "/console/..%2Fopenapi.json" })
            await (await app.Http.GetAsync(path)).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
        // Files are served from the assembly, never from disk: no path reaches the app's own files.
        foreach (var path in new[] { "/console/%2e%2e/host.json", "/console/../host.json", "/console/%2e%2e%2fhost.json" })
        {
            var answer = await app.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.DoesNotContain("extensions", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_openapi_document_is_served_at_api_openapi_json()
    {
        var app = await TestApp.Shared;

        var answer = await app.Http.GetAsync("openapi.json");
        var document = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, answer.Content.Headers.ContentType);
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/stores/{storeId}/pickups/preview", out _));
    }
}
