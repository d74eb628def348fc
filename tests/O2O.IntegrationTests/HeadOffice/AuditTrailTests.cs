using O2O.Application.HeadOffice;

namespace O2O.IntegrationTests.HeadOffice;

/// <summary>Every head-office change is in the trail (who, when, before, after) and raises o2o.headoffice.changed.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task A_change_is_recorded_with_who_before_and_after_and_raises_an_event()
    {
        var app = await TestApp.Shared;
        var store = await new StoreWorld(app).StoreAsync(eastM: 100, radiusM: 5000);
        using var operatorClient = app.Staff("Olivia Operator", "operator");
        var body = (await (await app.Admin.GetAsync($"admin/stores/{store}")).ReadOkAsync()).GetRawText()
            .Replace("\"deliveryRadiusM\":5000", "\"deliveryRadiusM\":3000", StringComparison.Ordinal);

        await (await operatorClient.PutJsonAsync($"admin/stores/{store}", body)).ReadOkAsync();

        var trail = await (await operatorClient.GetAsync($"admin/audit?target=stores/{store}")).ReadOkAsync();
        var entries = trail.GetProperty("entries").EnumerateArray().ToList();
        var change = entries.First(); // newest first: the operator's, then the set-up's by the admin key
        Assert.Equal("Olivia Operator", change.GetProperty("staffName").GetString());
        Assert.Equal("entra", change.GetProperty("via").GetString());
        Assert.Equal("store.put", change.GetProperty("action").GetString());
        Assert.Equal("done", change.GetProperty("outcome").GetString());
        Assert.Equal(5000, change.GetProperty("before").GetProperty("deliveryRadiusM").GetInt32());
        Assert.Equal(3000, change.GetProperty("after").GetProperty("deliveryRadiusM").GetInt32());
        var setUp = entries.Last();
        Assert.Equal("automation (admin key)", setUp.GetProperty("staffName").GetString());
        Assert.False(setUp.TryGetProperty("before", out _)); // the store was new

        var published = await PublishedEvents.WaitForAsync(app, change.GetProperty("changeId").GetString()!);
        Assert.Equal(HeadOfficeAudit.ChangedEvent, published.GetProperty("type").GetString());
        Assert.Equal($"headoffice/stores/{store}", published.GetProperty("subject").GetString());
        Assert.Equal("Olivia Operator", published.GetProperty("data").GetProperty("staffName").GetString());
    }

    [Fact]
    public async Task A_refused_change_is_recorded_as_refused_and_a_store_key_never_enters_the_trail()
    {
        var app = await TestApp.Shared;
        var store = await new StoreWorld(app).StoreAsync(eastM: 100);
        using var admin = app.Staff("Ada Admin", "admin");

        await (await admin.PutJsonAsync($"admin/stores/{store}", new { name = "x", lat = 31.2, lng = 121.4, deliveryRadiusM = -1 }))
            .ReadValidationProblemAsync("deliveryRadiusM");
        var key = (await (await admin.PostAsync($"admin/stores/{store}/keys", null)).ReadOkAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!;

        var trail = await admin.GetAsync($"admin/audit?target=stores/{store}");
        var raw = await trail.Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, raw, StringComparison.Ordinal);
        var entries = JsonDocument.Parse(raw).RootElement.GetProperty("entries").EnumerateArray().ToList();
        var issued = entries[0];
        Assert.Equal("store.key_issued", issued.GetProperty("action").GetString());
        Assert.True(issued.GetProperty("after").TryGetProperty("issuedAt", out _));
        var refused = entries[1];
        Assert.Equal("refused", refused.GetProperty("outcome").GetString());
        Assert.Equal("validation_failed", refused.GetProperty("refusal").GetString());
        Assert.False(refused.TryGetProperty("after", out _));
    }

    [Fact]
    public async Task A_change_that_never_answered_stays_pending_with_its_state_before_and_raises_no_event()
    {
        var app = await TestApp.Shared;
        var audit = app.Host.Services.GetRequiredService<HeadOfficeAudit>();
        var target = $"stores/{TestApp.UniqueId("S")}";

        await Assert.ThrowsAsync<TimeoutException>(() => audit.ChangeAsync(O2O.Domain.HeadOffice.Staff.Automation, "store.put", target,
            _ => Task.FromResult<object?>(new { open = true }), _ => Task.FromException<O2O.Domain.Common.Result<string>>(new TimeoutException()),
            CancellationToken.None));

        var entry = Assert.Single((await (await app.Admin.GetAsync($"admin/audit?target={target}")).ReadOkAsync()).GetProperty("entries").EnumerateArray());
        Assert.Equal("pending", entry.GetProperty("outcome").GetString()); // the page shows it as unconfirmed
        Assert.True(entry.GetProperty("before").GetProperty("open").GetBoolean());
        Assert.False(entry.TryGetProperty("after", out _));
        Assert.DoesNotContain(PublishedEvents.All(app), e => e.TryGetProperty("subject", out var subject) && subject.GetString() == $"headoffice/{target}");
    }

    [Fact]
    public async Task The_trail_exports_as_csv_and_bad_days_are_refused()
    {
        var app = await TestApp.Shared;
        var store = await new StoreWorld(app).StoreAsync(eastM: 100);
        using var finance = app.Staff("Fang Finance", "finance");

        var csv = await finance.GetAsync($"admin/audit?target=stores/{store}&format=csv&days=2");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(AuditCsv.Header, lines[0]);
        Assert.Single(lines.Skip(1));
        // The set-up's change: no refusal, no state before, the state after as quoted JSON.
        Assert.Contains($",admin-key,store.put,stores/{store},done,,,\"{{", lines[1], StringComparison.Ordinal);

        await (await finance.GetAsync("admin/audit?days=0")).ReadValidationProblemAsync("days");
        await (await finance.GetAsync("admin/audit?days=32")).ReadValidationProblemAsync("days");
    }
}
