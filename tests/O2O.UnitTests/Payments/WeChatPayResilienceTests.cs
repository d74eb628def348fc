using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using O2O.Application;
using O2O.Application.Payments.WeChatPay;
using O2O.LocalHost;
using Polly.CircuitBreaker;

namespace O2O.UnitTests.Payments;

/// <summary>The WeChat Pay client as the app registers it: retries on 5xx, then a breaker that stops hammering a sick partner.</summary>
public sealed class WeChatPayResilienceTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly Dictionary<string, string> _keys = DevKeys.Generate();

    [Fact]
    public async Task A_5xx_is_retried_and_the_signed_answer_is_believed()
    {
        var partner = new StubWeChatPay(this, [HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK]);

        var transaction = await AdvanceUntilDoneAsync(Client(partner).QueryAsync("o-1", CancellationToken.None));

        Assert.Equal("SUCCESS", transaction!.TradeState);
        Assert.Equal(3, partner.Calls);
    }

    [Fact]
    public async Task An_unsigned_answer_is_not_believed()
    {
        var partner = new StubWeChatPay(this, [HttpStatusCode.OK]) { Sign = false };

        await Assert.ThrowsAsync<WeChatPayException>(() => AdvanceUntilDoneAsync(Client(partner).QueryAsync("o-1", CancellationToken.None)));
    }

    [Fact]
    public async Task A_partner_that_keeps_failing_opens_the_circuit()
    {
        var partner = new StubWeChatPay(this, Enumerable.Repeat(HttpStatusCode.InternalServerError, 200).ToArray());
        var client = Client(partner);

        Exception? last = null;
        for (var i = 0; i < 20 && last is not BrokenCircuitException; i++)
        {
            try
            {
                await AdvanceUntilDoneAsync(client.QueryAsync("o-1", CancellationToken.None));
            }
            catch (Exception e)
            {
                last = e;
            }
        }

        Assert.IsType<BrokenCircuitException>(last);
        var callsWhenOpen = partner.Calls;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => AdvanceUntilDoneAsync(client.QueryAsync("o-1", CancellationToken.None)));
        Assert.Equal(callsWhenOpen, partner.Calls);
    }

    private WeChatPayClient Client(StubWeChatPay partner)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:AppId"] = "wx-app", ["WeChatPay:MchId"] = "1900000109", ["WeChatPay:BaseUrl"] = "https://wechatpay.invalid",
            ["DataStorage"] = "UseDevelopmentStorage=true",
        };
        foreach (var (name, value) in _keys) settings[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        var services = new ServiceCollection().AddLogging();
        services.AddO2OBackend(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<TimeProvider>(_clock);
        services.AddHttpClient<WeChatPayClient>().ConfigurePrimaryHttpMessageHandler(() => partner);
        return services.BuildServiceProvider().GetRequiredService<WeChatPayClient>();
    }

    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }
        return await task;
    }

    private sealed class StubWeChatPay(WeChatPayResilienceTests test, HttpStatusCode[] answers) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public bool Sign { get; init; } = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var status = answers[Math.Min(Interlocked.Increment(ref _calls), answers.Length) - 1];
            var body = status == HttpStatusCode.OK
                ? """{"out_trade_no":"o-1","trade_state":"SUCCESS","transaction_id":"4200","amount":{"total":1,"currency":"CNY"}}"""
                : """{"code":"SYSTEM_ERROR","message":"busy"}""";
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (Sign)
            {
                using var platform = RSA.Create();
                platform.ImportFromPem(test._keys[DevKeys.PlatformPrivateKeySetting]);
                var timestamp = test._clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                response.Headers.Add("Wechatpay-Timestamp", timestamp);
                response.Headers.Add("Wechatpay-Nonce", "n0nce");
                response.Headers.Add("Wechatpay-Serial", test._keys["WeChatPay__PlatformPublicKeyId"]);
                response.Headers.Add("Wechatpay-Signature", WeChatPaySignatures.SignMessage(platform, timestamp, "n0nce", Encoding.UTF8.GetBytes(body)));
            }
            return Task.FromResult(response);
        }
    }
}
