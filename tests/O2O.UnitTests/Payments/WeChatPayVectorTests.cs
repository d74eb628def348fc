using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using O2O.Application.Payments.WeChatPay;

namespace O2O.UnitTests.Payments;

/// <summary>
/// The signed, encrypted notification from the official Go SDK's own tests
/// (wechatpay-apiv3/wechatpay-go, core/notify/notify_test.go), with its certificate, key and clock.
/// </summary>
public sealed class WeChatPayVectorTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payments", "Vectors", "wechatpay-notify-wechatpay-go.json"))).RootElement;

    private static string Header(string name) => Vector.GetProperty("headers").GetProperty(name).GetString()!;

    private static NotificationHeaders Headers(string? signature = null, string? timestamp = null, string? nonce = null, string? serial = null) => new(
        signature ?? Header("Wechatpay-Signature"), timestamp ?? Header("Wechatpay-Timestamp"), nonce ?? Header("Wechatpay-Nonce"),
        serial ?? Header("Wechatpay-Serial"), null);

    private static byte[] Body => Encoding.UTF8.GetBytes(Vector.GetProperty("body").GetString()!);

    private static NotificationVerifier Verifier(long? now = null) => new(
        new PlatformKeys(null, null, Vector.GetProperty("platform_certificate_pem").GetString()),
        new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now ?? Vector.GetProperty("now_unix").GetInt64())));

    [Fact]
    public void The_peer_vector_verifies_and_decrypts_exactly()
    {
        Assert.Null(Verifier().Check(Headers(), Body));

        var resource = JsonDocument.Parse(Body).RootElement.GetProperty("resource");
        var plaintext = WeChatPayResource.Decrypt(Vector.GetProperty("apiv3_key").GetString()!, resource.GetProperty("ciphertext").GetString()!,
            resource.GetProperty("nonce").GetString()!, resource.GetProperty("associated_data").GetString());

        Assert.Equal(Vector.GetProperty("expected_plaintext").GetString(), plaintext);
    }

    [Fact]
    public void One_changed_byte_of_the_body_fails()
    {
        for (var i = 0; i < Body.Length; i += 37)
        {
            var body = Body;
            body[i] ^= 0x01;
            Assert.Equal("bad signature", Verifier().Check(Headers(), body));
        }
    }

    [Fact]
    public void A_changed_nonce_timestamp_or_signature_fails()
    {
        var timestamp = long.Parse(Header("Wechatpay-Timestamp"), System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.FromBase64String(Header("Wechatpay-Signature"));
        signature[10] ^= 0x01;

        Assert.Equal("bad signature", Verifier().Check(Headers(nonce: "X" + Header("Wechatpay-Nonce")[1..]), Body));
        Assert.Equal("bad signature", Verifier().Check(Headers(timestamp: (timestamp + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), Body));
        Assert.Equal("bad signature", Verifier().Check(Headers(signature: Convert.ToBase64String(signature)), Body));
        Assert.Equal("bad signature", Verifier().Check(Headers(signature: "not base64!"), Body));
    }

    [Fact]
    public void An_unknown_serial_fails_rather_than_skipping_verification()
    {
        Assert.StartsWith("unknown serial", Verifier().Check(Headers(serial: "PUB_KEY_ID_0000000000000000000000000000000"), Body));
        Assert.StartsWith("unknown serial", Verifier().Check(Headers(serial: ""), Body));
    }

    [Theory]
    [InlineData(299, null)]
    [InlineData(-299, null)]
    [InlineData(300, "timestamp outside the replay window")]
    [InlineData(-300, "timestamp outside the replay window")]
    [InlineData(86_400, "timestamp outside the replay window")]
    public void Only_a_notification_from_the_last_five_minutes_is_accepted(long skewSeconds, string? reason)
    {
        var now = Vector.GetProperty("now_unix").GetInt64() + skewSeconds;

        Assert.Equal(reason, Verifier(now).Check(Headers(), Body));
    }

    [Fact]
    public void A_tampered_ciphertext_associated_data_or_key_does_not_decrypt()
    {
        var resource = JsonDocument.Parse(Body).RootElement.GetProperty("resource");
        var key = Vector.GetProperty("apiv3_key").GetString()!;
        var ciphertext = Convert.FromBase64String(resource.GetProperty("ciphertext").GetString()!);
        ciphertext[3] ^= 0x01;
        var nonce = resource.GetProperty("nonce").GetString()!;

        Assert.Null(WeChatPayResource.Decrypt(key, Convert.ToBase64String(ciphertext), nonce, "payscore"));
        Assert.Null(WeChatPayResource.Decrypt(key, resource.GetProperty("ciphertext").GetString()!, nonce, "transaction"));
        Assert.Null(WeChatPayResource.Decrypt("testMchAPIv3Key1", resource.GetProperty("ciphertext").GetString()!, nonce, "payscore"));
        Assert.Null(WeChatPayResource.Decrypt(key, "***", nonce, "payscore"));
    }

    [Theory]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public void Sixteen_and_thirty_two_byte_api_keys_both_work(string apiV3Key)
    {
        const string plaintext = """{"out_trade_no":"o-1","amount":{"total":3600,"currency":"CNY"}}""";

        var ciphertext = WeChatPayResource.Encrypt(apiV3Key, plaintext, "0123456789ab", "transaction");

        Assert.Equal(plaintext, WeChatPayResource.Decrypt(apiV3Key, ciphertext, "0123456789ab", "transaction"));
    }

    [Fact]
    public void Keys_are_found_by_public_key_id_and_by_certificate_serial_at_once()
    {
        using var publicKey = RSA.Create(2048);
        var keys = new PlatformKeys("PUB_KEY_ID_0114232134912410000000000000", publicKey.ExportSubjectPublicKeyInfoPem(),
            Vector.GetProperty("platform_certificate_pem").GetString());

        Assert.NotNull(keys.Find("PUB_KEY_ID_0114232134912410000000000000"));
        Assert.NotNull(keys.Find(Header("Wechatpay-Serial")));
        Assert.Null(keys.Find("ABCDEF"));
    }

    [Fact]
    public void Merchant_signatures_verify_with_the_merchant_public_key()
    {
        using var merchant = RSA.Create(2048);
        var paySign = WeChatPaySignatures.PaySign(merchant, "wx8888888888888888", "1414561699",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100");
        var authorization = WeChatPaySignatures.Authorization(merchant, "1900009191", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", "POST",
            "/v3/pay/transactions/jsapi", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", """{"appid":"wx8888888888888888"}""");

        Assert.True(merchant.VerifyData("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n"u8,
            Convert.FromBase64String(paySign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.StartsWith(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",timestamp=\"1554208460\","
            + "serial_no=\"1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\",signature=\"", authorization);
        var signature = authorization.Split("signature=\"")[1].TrimEnd('"');
        var signed = "POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{\"appid\":\"wx8888888888888888\"}\n"u8;
        Assert.True(merchant.VerifyData(signed,
            Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
