using O2O.Application.Dispatch.Couriers;

namespace O2O.UnitTests.Dispatch;

public sealed class CourierSignatureTests
{
    [Fact]
    public void Meituan_signs_the_public_example_of_COURIERS_md()
    {
        var parameters = new Dictionary<string, string?>
        {
            ["appkey"] = "test", ["timestamp"] = "1477395862", ["version"] = "1.0", ["number"] = "123", ["string"] = "测试",
            ["double"] = "123.123", ["boolean"] = "true", ["empty"] = "",
        };

        Assert.Equal("8943ba698f4b009f80dc2fd69ff9b313381263bd", CourierSignatures.Meituan("test", parameters));
    }

    [Fact]
    public void Meituan_leaves_sign_and_empty_parameters_out()
    {
        var bare = new Dictionary<string, string?> { ["appkey"] = "test", ["timestamp"] = "1" };
        var padded = new Dictionary<string, string?> { ["appkey"] = "test", ["timestamp"] = "1", ["sign"] = "x", ["empty"] = null };

        Assert.Equal(CourierSignatures.Meituan("s", bare), CourierSignatures.Meituan("s", padded));
        Assert.NotEqual(CourierSignatures.Meituan("s", bare), CourierSignatures.Meituan("t", bare));
    }

    [Fact]
    public void Dada_sorts_the_three_values_not_the_keys()
    {
        // By value: "1700000000" < "73753" < "O-1" (ordinal); sorting by key would give client_id, order_id, update_time.
        var signed = CourierSignatures.DadaWebhook(clientId: "73753", orderId: "O-1", updateTime: "1700000000");

        Assert.Equal(Md5("170000000073753O-1"), signed);
        Assert.NotEqual(Md5("73753O-11700000000"), signed);
    }

    [Fact]
    public void SF_signs_base64_of_the_hex_md5_of_body_dev_id_and_key()
    {
        const string body = """{"shop_order_id":"o-1","order_status":10}""";

        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Md5(body + "&1234&secret"))), CourierSignatures.Sf(body, "1234", "secret"));
        Assert.NotEqual(CourierSignatures.Sf(body, "1234", "secret"), CourierSignatures.Sf(body + " ", "1234", "secret"));
    }

#pragma warning disable CA5351 // the scheme under test
    private static string Md5(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
