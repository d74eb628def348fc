namespace O2O.IntegrationTests.Infrastructure;

/// <summary>What the host's Event Grid topic (the local host's sandbox, fed by the real publisher client) received.</summary>
public static class PublishedEvents
{
    public static IReadOnlyList<JsonElement> All(TestApp app) => app.Host.Services.GetRequiredService<EventGridSandbox>().Received;

    /// <summary>Waits (up to 30 s) for the event with this id; answers its first copy.</summary>
    public static async Task<JsonElement> WaitForAsync(TestApp app, string eventId)
    {
        for (var i = 0; i < 300; i++)
        {
            var found = All(app).FirstOrDefault(e => e.GetProperty("id").GetString() == eventId);
            if (found.ValueKind == JsonValueKind.Object) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"event {eventId} never reached the topic");
    }
}
