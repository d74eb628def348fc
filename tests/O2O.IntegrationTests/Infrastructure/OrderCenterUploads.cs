namespace O2O.IntegrationTests.Infrastructure;

/// <summary>What WeChat's order center (the local host's sandbox) was told of an order.</summary>
public static class OrderCenterUploads
{
    public static WeChatOrderCenterSandbox Sandbox(TestApp app) => app.Host.Services.GetRequiredService<WeChatOrderCenterSandbox>();

    /// <summary>The order's shipping upload, waiting up to 30 s for the queue function to make it.</summary>
    public static async Task<WeChatOrderCenterSandbox.Upload> EventuallyAsync(TestApp app, string orderId)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            if (Sandbox(app).Shipped.TryGetValue(orderId, out var upload)) return upload;
            await Task.Delay(100);
        }
        throw new TimeoutException($"order {orderId} was not uploaded in 30 s");
    }
}
