using System.Collections.Concurrent;
using System.Text.Json;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// Watches the events the app publishes to the Event Grid sandbox, so a run waits for "paid" or
/// "delivered" as a subscriber would, without polling the API (which would add storage requests
/// of its own to the count). Also keeps every event id seen, to audit for missing and doubled events.
/// </summary>
public sealed class OrderEvents : IDisposable
{
    private readonly EventGridSandbox _sandbox;
    private readonly ConcurrentDictionary<(string OrderId, string Type), TaskCompletionSource> _waits = new();
    private readonly ConcurrentDictionary<string, int> _timesSeen = new();

    public OrderEvents(EventGridSandbox sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Accepted += OnAccepted;
    }

    /// <summary>How many times each event id reached the topic (more than once is at-least-once delivery at work).</summary>
    public IReadOnlyDictionary<string, int> TimesSeen => _timesSeen;

    /// <summary>Completes when an event of <paramref name="type"/> about the order has been published, even if it already was.</summary>
    public Task WhenAsync(string orderId, string type, TimeSpan timeout) =>
        Wait(orderId, type).Task.WaitAsync(timeout);

    /// <summary>Completes on the first of several event types.</summary>
    public async Task<string> WhenAnyAsync(string orderId, IReadOnlyList<string> types, TimeSpan timeout)
    {
        var waits = types.Select(t => Wait(orderId, t).Task).ToList();
        var first = await Task.WhenAny(waits).WaitAsync(timeout);
        return types[waits.IndexOf(first)];
    }

    public void Dispose() => _sandbox.Accepted -= OnAccepted;

    private TaskCompletionSource Wait(string orderId, string type) =>
        _waits.GetOrAdd((orderId, type), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void OnAccepted(JsonElement evt)
    {
        _timesSeen.AddOrUpdate(evt.GetProperty("id").GetString()!, 1, (_, n) => n + 1);
        if (evt.TryGetProperty("subject", out var subject) && subject.GetString() is { } s && s.StartsWith("orders/", StringComparison.Ordinal))
            Wait(s["orders/".Length..], evt.GetProperty("type").GetString()!).TrySetResult();
    }
}
