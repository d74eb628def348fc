using Azure.Storage.Queues;

namespace O2O.IntegrationTests.LocalHost;

/// <summary>The local host applies the Functions host's rules to the probe functions.</summary>
public sealed class LocalHostTriggerTests : IAsyncLifetime
{
    private readonly string _queue = "probe-" + Guid.NewGuid().ToString("N")[..12];
    private Microsoft.AspNetCore.Builder.WebApplication? _host;
    private HttpClient? _http;
    private QueueServiceClient? _queues;

    public async Task InitializeAsync()
    {
        var azurite = await TestApp.SharedStorage;
        _host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            FunctionTypes = [typeof(ProbeFunctions)],
            Url = "http://127.0.0.1:0",
            Settings = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["DataStorage"] = azurite.ConnectionString,
                [ProbeFunctions.QueueSetting] = _queue,
                ["Logging__LogLevel__Default"] = "None",
                // The app refuses to start without its courier platforms' secrets.
                ["Dada__AppSecret"] = "probe", ["Meituan__Secret"] = "probe", ["Sf__DevKey"] = "probe",
            },
        });
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_host.BaseAddress(), "api/") };
        _queues = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _http?.Dispose();
    }

    [Fact]
    public async Task A_message_that_always_fails_is_tried_five_times_then_moved_to_the_poison_queue()
    {
        var text = "fail-" + Guid.NewGuid();
        var queue = _queues!.GetQueueClient(_queue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(text);

        var poisoned = await EventuallyAsync(async () =>
            (await _queues.GetQueueClient(_queue + "-poison").ExistsAsync()).Value
                ? (await _queues.GetQueueClient(_queue + "-poison").ReceiveMessagesAsync(1)).Value.SingleOrDefault()
                : null);

        Assert.Equal(text, poisoned.Body.ToString());
        Assert.Equal(5, ProbeFunctions.Attempts[text]);
        Assert.Null((await queue.PeekMessageAsync()).Value);
    }

    [Fact]
    public async Task A_message_that_succeeds_is_handled_once_and_deleted()
    {
        var text = "ok-" + Guid.NewGuid();
        var queue = _queues!.GetQueueClient(_queue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(text);

        await EventuallyAsync(() => Task.FromResult(ProbeFunctions.Attempts.TryGetValue(text, out var n) ? (int?)n : null));
        await EventuallyAsync(async () => (await queue.PeekMessageAsync()).Value is null ? "empty" : null);

        Assert.Equal(1, ProbeFunctions.Attempts[text]);
    }

    [Fact]
    public async Task A_queue_message_binds_to_a_record_from_base64_json()
    {
        var orderId = Guid.NewGuid().ToString();
        var queue = _queues!.GetQueueClient(_queue + "-orders");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(new { orderId, quantity = 3 }));

        var order = await EventuallyAsync(() => Task.FromResult(ProbeFunctions.Orders.GetValueOrDefault(orderId)));

        Assert.Equal(3, order.Quantity);
    }

    [Fact]
    public async Task A_timer_with_run_on_startup_runs_when_the_host_starts()
    {
        var timer = await ProbeFunctions.TimerRan.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new DateTime(DateTime.UtcNow.Year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc), timer.ScheduleStatus!.Next);
    }

    [Fact]
    public async Task An_exception_in_an_http_function_is_a_500_problem_without_internals()
    {
        var response = await _http!.GetAsync("probe/throws");

        var problem = await response.ReadProblemAsync(HttpStatusCode.InternalServerError, "internal_error");
        Assert.DoesNotContain("secret internal detail", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_values_and_query_values_bind_to_string_parameters()
    {
        var echo = await (await _http!.GetAsync("probe/echo/abc?tag=x1")).ReadOkAsync();

        Assert.Equal("abc", echo.GetProperty("id").GetString());
        Assert.Equal("x1", echo.GetProperty("tag").GetString());
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(100, timeout.Token);
        }
    }
}
