using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.LocalHost;

/// <summary>Functions that exist only to watch the local host apply the Functions host's trigger rules.</summary>
public sealed class ProbeFunctions
{
    public const string QueueSetting = "ProbeQueue";

    public static readonly ConcurrentDictionary<string, int> Attempts = new();
    public static readonly ConcurrentDictionary<string, ProbeOrder> Orders = new();
    public static readonly TaskCompletionSource<TimerInfo> TimerRan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Function("ProbeQueue")]
    public static void OnMessage([QueueTrigger($"%{QueueSetting}%", Connection = StorageClients.SettingName)] string message)
    {
        Attempts.AddOrUpdate(message, 1, (_, n) => n + 1);
        if (message.StartsWith("fail", StringComparison.Ordinal)) throw new InvalidOperationException("probe failure");
    }

    [Function("ProbeOrderQueue")]
    public static Task OnOrder(
        [QueueTrigger($"%{QueueSetting}%-orders", Connection = StorageClients.SettingName)] ProbeOrder order, CancellationToken cancellationToken)
    {
        Orders[order.OrderId] = order;
        return Task.CompletedTask;
    }

    [Function("ProbeTimer")]
    public static void OnTimer([TimerTrigger("0 0 0 1 1 *", RunOnStartup = true)] TimerInfo timer) => TimerRan.TrySetResult(timer);

    [Function("ProbeThrows")]
    public static IActionResult Throws([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/probe/throws")] HttpRequest request) =>
        throw new InvalidOperationException("secret internal detail");

    [Function("ProbeEcho")]
    public static IActionResult Echo([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/probe/echo/{id}")] HttpRequest request,
        string id, string? tag) =>
        new OkObjectResult(new { id, tag });
}

public sealed record ProbeOrder(string OrderId, int Quantity);
