using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace O2O.LocalHost;

/// <summary>
/// Polls one queue for one queue-triggered function with the Functions host's rules: Base64
/// messages, up to batchSize at a time, a failed message made visible again after
/// visibilityTimeout, and after maxDequeueCount failed attempts moved to "&lt;queue&gt;-poison".
/// </summary>
public sealed partial class QueueTriggerListener(
    QueueFunction function,
    QueueServiceClient queues,
    FunctionInvoker invoker,
    HostJson hostJson,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    /// <summary>
    /// How long a message stays invisible while a function works on it: the host's 10 minutes unless
    /// LocalHost__QueueLeaseSeconds says otherwise (the fault suite shortens it, so a message whose
    /// function lost storage mid-flight comes back within the run rather than ten minutes later).
    /// </summary>
    private TimeSpan ProcessingVisibility => TimeSpan.FromSeconds(configuration.GetValue("LocalHost:QueueLeaseSeconds", 600));

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queueName = SettingExpression.Resolve(function.QueueName, configuration);
        var queue = queues.GetQueueClient(queueName);
        var poison = queues.GetQueueClient(queueName + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(hostJson.QueueBatchSize, ProcessingVisibility, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage unreachable (the SDK's own retries exhausted): back off and poll again, as the host does.
                LogPollFailed(logger, e, queueName);
                batch = [];
            }

            if (batch.Length == 0)
            {
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, hostJson.MaxPollingInterval.Ticks));
                continue;
            }
            delay = MinPollingInterval;
            await Task.WhenAll(batch.Select(m => ProcessAsync(queue, poison, m, stoppingToken)));
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        Exception? failure = null;
        try
        {
            await invoker.InvokeAsync(function, (_, source) => source == ParameterSource.Trigger ? Payload(message) : stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            failure = e;
        }
        try
        {
            if (failure is null) await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            else await FailAsync(queue, poison, message, failure, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Storage went away mid-flight: the message reappears when its lease ends and runs again.
            LogSettleFailed(logger, e, function.Name, message.MessageId);
        }
    }

    private async Task FailAsync(QueueClient queue, QueueClient poison, QueueMessage message, Exception error, CancellationToken stoppingToken)
    {
        LogAttemptFailed(logger, error, function.Name, message.MessageId, message.DequeueCount);
        if (message.DequeueCount >= hostJson.MaxDequeueCount)
        {
            await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            LogPoisoned(logger, function.Name, message.MessageId, poison.Name);
        }
        else
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt,
                visibilityTimeout: hostJson.VisibilityTimeout, cancellationToken: stoppingToken);
        }
    }

    private object Payload(QueueMessage message)
    {
        var type = function.MessageType;
        if (type == typeof(QueueMessage)) return message;
        if (type == typeof(BinaryData)) return message.Body;
        if (type == typeof(byte[])) return message.Body.ToArray();
        if (type == typeof(string)) return message.Body.ToString();
        // The worker's default serializer: System.Text.Json, case-insensitive property names.
        return JsonSerializer.Deserialize(message.Body.ToString(), type, JsonSerializerOptions.Web)
               ?? throw new JsonException($"Queue message {message.MessageId} is JSON null, not a {type.Name}.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {QueueName} failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queueName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {FunctionName} could not settle message {MessageId}; it reappears when its lease ends")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {FunctionName} failed on message {MessageId} (attempt {DequeueCount})")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string functionName, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} gave up on message {MessageId}; moved to {PoisonQueue}")]
    private static partial void LogPoisoned(ILogger logger, string functionName, string messageId, string poisonQueue);
}
