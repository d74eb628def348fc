using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace O2O.LocalHost;

/// <summary>Runs one timer-triggered function on its 6-field NCRONTAB schedule (UTC), honouring RunOnStartup.</summary>
public sealed partial class TimerTriggerScheduler(
    TimerFunction function,
    FunctionInvoker invoker,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<TimerTriggerScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(
            SettingExpression.Resolve(function.Schedule, configuration), new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        DateTime? last = null;
        if (function.RunOnStartup) last = await RunAsync(schedule, last, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var next = schedule.GetNextOccurrence(now);
            try
            {
                await Task.Delay(next - now, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            last = await RunAsync(schedule, last, stoppingToken);
        }
    }

    private async Task<DateTime> RunAsync(CrontabSchedule schedule, DateTime? last, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var timer = new TimerInfo
        {
            ScheduleStatus = new ScheduleStatus { Last = last ?? DateTime.MinValue, Next = schedule.GetNextOccurrence(now), LastUpdated = now },
        };
        try
        {
            await invoker.InvokeAsync(function, (_, source) => source == ParameterSource.Trigger ? timer : stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A timer run that fails is not retried; the next occurrence runs as scheduled.
            LogRunFailed(logger, e, function.Name);
        }
        return now;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string functionName);
}
