namespace O2O.IntegrationTests.Catalog;

public sealed class CatalogAdminTests
{
    [Fact]
    public async Task Put_sku_then_read_it_back_and_find_it_in_the_list()
    {
        var app = await TestApp.Shared;
        var sku = TestApp.UniqueId("TEA");

        var put = await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", """{"name":"茉莉奶茶 Jasmine","priceFen":1800,"active":true}""")).ReadOkAsync();
        Assert.Equal(sku, put.GetProperty("sku").GetString());
        Assert.Equal(1800, put.GetProperty("priceFen").GetInt64());

        var read = await (await app.Admin.GetAsync($"admin/skus/{sku}")).ReadOkAsync();
        Assert.Equal("茉莉奶茶 Jasmine", read.GetProperty("name").GetString());
        Assert.Equal(1800, read.GetProperty("priceFen").GetInt64());
        Assert.True(read.GetProperty("active").GetBoolean());

        var list = await (await app.Admin.GetAsync("admin/skus")).ReadOkAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("sku").GetString() == sku);
    }

    [Fact]
    public async Task Put_sku_again_replaces_its_price_and_status()
    {
        var app = await TestApp.Shared;
        var sku = TestApp.UniqueId("TEA");
        await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", """{"name":"Oolong","priceFen":2200,"active":true}""")).ReadOkAsync();

        await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", """{"name":"Oolong","priceFen":2500,"active":false}""")).ReadOkAsync();

        var read = await (await app.Admin.GetAsync($"admin/skus/{sku}")).ReadOkAsync();
        Assert.Equal(2500, read.GetProperty("priceFen").GetInt64());
        Assert.False(read.GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("""{"name":"x","priceFen":"1800","active":true}""", "priceFen")]
    [InlineData("""{"name":"x","priceFen":18.5,"active":true}""", "priceFen")]
    [InlineData("""{"name":"x","priceFen":-1,"active":true}""", "priceFen")]
    [InlineData("""{"name":"x","priceFen":100000000000,"active":true}""", "priceFen")]
    [InlineData("""{"name":"x","priceFen":1e30,"active":true}""", "priceFen")]
    [InlineData("""{"priceFen":1800,"active":true}""", "name")]
    [InlineData("""{"name":"   ","priceFen":1800,"active":true}""", "name")]
    [InlineData("""{"name":"x","priceFen":1800}""", "active")]
    [InlineData("""{"name":"x","priceFen":1800,"active":"yes"}""", "active")]
    [InlineData("""{"name":"x","priceFen":1800,"active":true""", "body")]
    [InlineData("""{"name":"x","priceFen":1,"priceFen":2,"active":true}""", "priceFen")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""null""", "body")]
    [InlineData("", "body")]
    public async Task Bad_sku_bodies_are_a_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var app = await TestApp.Shared;
        var sku = TestApp.UniqueId("BAD");

        await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", body)).ReadValidationProblemAsync(field);

        await (await app.Admin.GetAsync($"admin/skus/{sku}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_oversized_body_is_refused_without_being_read_whole()
    {
        var app = await TestApp.Shared;
        var sku = TestApp.UniqueId("BIG");
        var body = $$"""{"name":"{{new string('x', 40_000)}}","priceFen":1,"active":true}""";

        await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", body)).ReadValidationProblemAsync("body");

        await (await app.Admin.GetAsync($"admin/skus/{sku}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("-leading-dash")]
    [InlineData("x12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task A_sku_code_that_cannot_be_a_key_is_a_400(string sku)
    {
        var app = await TestApp.Shared;
        await (await app.Admin.PutJsonAsync($"admin/skus/{sku}", """{"name":"x","priceFen":1,"active":true}""")).ReadValidationProblemAsync("sku");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-wrong-key-wrong-key")]
    [InlineData("Basic aW50ZWdyYXRpb24tYWRtaW4ta2V5LTAxMjM0NTY3ODlhYmNkZWY=")]
    public async Task Without_the_admin_key_nothing_is_read_or_written(string? authorization)
    {
        var app = await TestApp.Shared;
        var sku = TestApp.UniqueId("AUTH");
        using var put = new HttpRequestMessage(HttpMethod.Put, $"admin/skus/{sku}")
        {
            Content = new StringContent("""{"name":"x","priceFen":1,"active":true}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (authorization is not null) put.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await app.Http.SendAsync(put);

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await (await app.Http.GetAsync("admin/skus")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await app.Admin.GetAsync($"admin/skus/{sku}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
