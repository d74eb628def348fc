namespace O2O.IntegrationTests.Stores;

public sealed class StoreAdminTests
{
    [Fact]
    public async Task Put_store_then_read_it_back_and_find_it_in_the_list()
    {
        var app = await TestApp.Shared;
        var storeId = TestApp.UniqueId("S");

        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}",
            """{"name":"人民广场店","lat":31.2304,"lng":121.4737,"pickup":true,"delivery":true,"deliveryRadiusM":5000,"open":true}""")).ReadOkAsync();

        var read = await (await app.Admin.GetAsync($"admin/stores/{storeId}")).ReadOkAsync();
        Assert.Equal("人民广场店", read.GetProperty("name").GetString());
        Assert.Equal(31.2304, read.GetProperty("lat").GetDouble());
        Assert.Equal(121.4737, read.GetProperty("lng").GetDouble());
        Assert.True(read.GetProperty("pickup").GetBoolean());
        Assert.Equal(5000, read.GetProperty("deliveryRadiusM").GetInt32());
        Assert.True(read.GetProperty("open").GetBoolean());
        Assert.False(read.GetProperty("autoAccept").GetBoolean());
        Assert.Equal(48, read.GetProperty("pickupHoldHours").GetInt32());

        var list = await (await app.Admin.GetAsync("admin/stores")).ReadOkAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("storeId").GetString() == storeId);
    }

    [Fact]
    public async Task Closing_a_store_is_kept()
    {
        var app = await TestApp.Shared;
        var storeId = TestApp.UniqueId("S");
        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", Store(open: true))).ReadOkAsync();

        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", Store(open: false))).ReadOkAsync();

        Assert.False((await (await app.Admin.GetAsync($"admin/stores/{storeId}")).ReadOkAsync()).GetProperty("open").GetBoolean());
    }

    [Theory]
    [InlineData("""{"name":"x","lat":91,"lng":121,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true}""", "lat")]
    [InlineData("""{"name":"x","lat":31,"lng":-181,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true}""", "lng")]
    [InlineData("""{"name":"x","lat":31,"lng":121,"pickup":true,"delivery":true,"deliveryRadiusM":0,"open":true}""", "deliveryRadiusM")]
    [InlineData("""{"name":"x","lat":31,"lng":121,"pickup":true,"delivery":true,"deliveryRadiusM":900000,"open":true}""", "deliveryRadiusM")]
    [InlineData("""{"name":"x","lat":31,"lng":121,"pickup":true,"delivery":true,"deliveryRadiusM":-5,"open":true}""", "deliveryRadiusM")]
    [InlineData("""{"name":"x","lng":121,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true}""", "lat")]
    [InlineData("""{"name":"x","lat":"31","lng":121,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true}""", "lat")]
    [InlineData("""{"name":"x","lat":31,"lng":121,"delivery":false,"deliveryRadiusM":0,"open":true}""", "pickup")]
    [InlineData("""{"lat":31,"lng":121,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true}""", "name")]
    [InlineData("""{"name":"x","lat":31,"lng":121,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true,"pickupHoldHours":0}""", "pickupHoldHours")]
    [InlineData("""{"name":"x","lat":31,"lng":121,"pickup":true,"delivery":false,"deliveryRadiusM":0,"open":true,"autoAccept":"yes"}""", "autoAccept")]
    public async Task Bad_store_bodies_are_a_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var app = await TestApp.Shared;
        var storeId = TestApp.UniqueId("S");

        await (await app.Admin.PutJsonAsync($"admin/stores/{storeId}", body)).ReadValidationProblemAsync(field);

        await (await app.Admin.GetAsync($"admin/stores/{storeId}")).ReadProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    internal static string Store(bool open = true, double lat = 31.2304, double lng = 121.4737) =>
        $$"""{"name":"Test store","lat":{{lat}},"lng":{{lng}},"pickup":true,"delivery":true,"deliveryRadiusM":5000,"open":{{(open ? "true" : "false")}}}""";
}
