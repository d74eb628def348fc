namespace O2O.IntegrationTests.Infrastructure;

public static class StoreQueue
{
    /// <summary>Waits (up to 30 s) for the outbox relay to project the order into the store's queue at <paramref name="path"/>.</summary>
    public static async Task<JsonElement> EventuallyListedAsync(this HttpClient clerk, string path, string orderId)
    {
        for (var i = 0; i < 300; i++)
        {
            var listed = (await (await clerk.GetAsync(path)).ReadOkAsync()).GetProperty("items").EnumerateArray()
                .FirstOrDefault(o => o.GetProperty("orderId").GetString() == orderId);
            if (listed.ValueKind == JsonValueKind.Object) return listed;
            await Task.Delay(100);
        }
        Assert.Fail($"order {orderId} never appeared at {path}");
        return default;
    }
}
