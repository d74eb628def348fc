using System.Diagnostics;
using System.Reflection;
using O2O.Application.Telemetry;

namespace O2O.LocalHost;

/// <summary>
/// Calls a function the way the worker does: a new DI scope and a new instance of the function
/// class per invocation, in a span of its own (continuing the caller's trace context, for HTTP),
/// its exception left to propagate to the trigger's own failure handling.
/// </summary>
public sealed class FunctionInvoker(IServiceProvider services, FunctionExecutions executions)
{
    private static readonly ActivitySource Worker = new(O2OTelemetry.FunctionsWorkerSource);

    public async Task<object?> InvokeAsync(FunctionDescriptor function, Func<int, ParameterSource, object?> bind, ActivityContext caller = default)
    {
        var started = executions.Started();
        using var span = Worker.StartActivity(function.Name, ActivityKind.Server, caller);
        span?.SetTag("faas.name", function.Name);
        using var attributed = O2O.Application.Storage.StorageRequestCounter.Attribute(function.Name);
        try
        {
            return await InvokeInScopeAsync(function, bind);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            executions.Finished(function.Name, started);
        }
    }

    private async Task<object?> InvokeInScopeAsync(FunctionDescriptor function, Func<int, ParameterSource, object?> bind)
    {
        await using var scope = services.CreateAsyncScope();
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        try
        {
            var args = function.Parameters.Select((source, i) => bind(i, source)).ToArray();
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
            return returned switch
            {
                Task task => await Awaited(task),
                ValueTask valueTask => await Completed(valueTask),
                _ when IsValueTaskOfT(returned) => await Awaited((Task)returned!.GetType().GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!),
                _ => returned,
            };
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (instance is IDisposable disposable) disposable.Dispose();
        }
    }

    private static async Task<object?> Awaited(Task task)
    {
        await task;
        var type = task.GetType();
        return type.IsGenericType ? type.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
    }

    private static async Task<object?> Completed(ValueTask task)
    {
        await task;
        return null;
    }

    private static bool IsValueTaskOfT(object? value) =>
        value?.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>);
}
