using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace O2O.IntegrationTests.LocalHost;

public sealed class WeChatPaySandboxTests
{
    [Fact]
    public async Task A_notification_that_is_not_accepted_is_sent_again_on_wechat_pays_schedule()
    {
        // A merchant endpoint that fails twice, then accepts.
        var received = new ConcurrentQueue<(DateTimeOffset At, string Body, string? Signature)>();
        var merchant = WebApplication.CreateSlimBuilder();
        merchant.WebHost.UseUrls("http://127.0.0.1:0");
        await using var endpoint = merchant.Build();
        endpoint.MapPost("/notify", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            received.Enqueue((DateTimeOffset.UtcNow, await reader.ReadToEndAsync(), request.Headers["Wechatpay-Signature"]));
            return received.Count <= 2 ? Results.StatusCode(500) : Results.NoContent();
        });
        await endpoint.StartAsync();
        await using var app = await TestApp.StartAsync(TestApp.HttpFunctionTypes, overrides: new Dictionary<string, string?>
        {
            ["WeChatPay__NotifyUrl"] = new Uri(endpoint.BaseAddress(), "notify").ToString(),
            ["Sandbox__WeChatPayRetryScale"] = "0.01", // 15 s becomes 150 ms
        });
        var world = new StoreWorld(app);
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, stock: [(tea, 10)]);
        using var consumer = await app.NewConsumerAsync();
        var orderId = (await (await consumer.PlaceAsync(Checkout.PickupAt(store,
            (tea, 1)))).ReadOkAsync(HttpStatusCode.Created)).GetProperty("orderId").GetString();
        await (await consumer.PostAsync($"orders/{orderId}/pay", null)).ReadOkAsync();

        await (await app.Http.PostAsync($"/sandbox/wechatpay/pay/{orderId}", null)).ReadOkAsync();
        for (var i = 0; i < 100 && received.Count < 3; i++) await Task.Delay(50);
        await Task.Delay(WeChatPaySandbox.RetrySchedule[2] * 0.01 * 2); // a fourth attempt would come by now

        var attempts = received.ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a => Assert.False(string.IsNullOrEmpty(a.Signature)));
        Assert.Contains("TRANSACTION.SUCCESS", attempts[0].Body, StringComparison.Ordinal);
        Assert.True(attempts[1].At - attempts[0].At >= WeChatPaySandbox.RetrySchedule[0] * 0.01 * 0.9);
    }
}
