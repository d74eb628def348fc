using System.Reflection;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using O2O.Application.Storage;

namespace O2O.LocalHost;

/// <summary>What a parameter of a function is bound to when the local host invokes it.</summary>
public enum ParameterSource { Trigger, CancellationToken, RouteOrQuery }

public abstract record FunctionDescriptor(string Name, MethodInfo Method, IReadOnlyList<ParameterSource> Parameters);

public sealed record HttpFunction(string Name, MethodInfo Method, IReadOnlyList<ParameterSource> Parameters, string Route, string[]? Verbs)
    : FunctionDescriptor(Name, Method, Parameters);

public sealed record QueueFunction(string Name, MethodInfo Method, IReadOnlyList<ParameterSource> Parameters, string QueueName, Type MessageType)
    : FunctionDescriptor(Name, Method, Parameters);

public sealed record TimerFunction(string Name, MethodInfo Method, IReadOnlyList<ParameterSource> Parameters, string Schedule, bool RunOnStartup)
    : FunctionDescriptor(Name, Method, Parameters);

/// <summary>
/// Every <c>[Function]</c> in the given types, sorted into what the local host serves and what it
/// cannot. Anything it cannot serve is refused at startup (and fails a test), so the local host
/// never silently differs from Azure.
/// </summary>
public sealed class FunctionIndex
{
    private static readonly HashSet<Type> QueuePayloadTypes = [typeof(string), typeof(byte[]), typeof(BinaryData), typeof(QueueMessage)];

    public List<HttpFunction> Http { get; } = [];
    public List<QueueFunction> Queue { get; } = [];
    public List<TimerFunction> Timer { get; } = [];
    public List<string> Unsupported { get; } = [];

    public int Count => Http.Count + Queue.Count + Timer.Count;

    /// <summary>
    /// The classes whose functions are all HTTP-triggered: for a host with no queue listeners or
    /// timers (a fake clock's, or one whose storage requests must all be the requests' own).
    /// </summary>
    public static IReadOnlyList<Type> HttpOnly(IEnumerable<Type> types) =>
        types.Where(t => Discover([t]) is { Count: > 0 } index && index.Http.Count == index.Count).ToList();

    public static FunctionIndex Discover(IEnumerable<Type> types)
    {
        var index = new FunctionIndex();
        var methods = types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));
        foreach (var method in methods)
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function) continue;
            var problem = index.TryAdd(function.Name, method);
            if (problem is not null) index.Unsupported.Add($"{function.Name} ({method.DeclaringType?.Name}.{method.Name}): {problem}");
        }
        return index;
    }

    private string? TryAdd(string name, MethodInfo method)
    {
        if (method.ReturnParameter.GetCustomAttributes().OfType<BindingAttribute>().Any() || method.GetCustomAttributes().OfType<BindingAttribute>().Any())
            return "output bindings are not served locally; write through an SDK client instead";
        var parameters = method.GetParameters();
        var triggers = parameters.Where(p => p.GetCustomAttributes().OfType<TriggerBindingAttribute>().Any()).ToList();
        if (triggers.Count != 1) return "a function needs exactly one trigger";
        var trigger = triggers[0];
        var other = parameters.Where(p => p != trigger).FirstOrDefault(p => p.GetCustomAttributes().OfType<BindingAttribute>().Any());
        if (other is not null) return $"parameter '{other.Name}' uses an input binding, which is not served locally";

        return trigger.GetCustomAttributes().OfType<TriggerBindingAttribute>().Single() switch
        {
            HttpTriggerAttribute http => AddHttp(name, method, trigger, http),
            QueueTriggerAttribute queue => AddQueue(name, method, trigger, queue),
            TimerTriggerAttribute timer => AddTimer(name, method, trigger, timer),
            var other2 => $"trigger {other2.GetType().Name} is not served locally",
        };
    }

    private string? AddHttp(string name, MethodInfo method, ParameterInfo trigger, HttpTriggerAttribute attribute)
    {
        if (trigger.ParameterType != typeof(HttpRequest)) return "HTTP triggers must take the ASP.NET Core HttpRequest";
        if (!Returns(method, typeof(IActionResult))) return "HTTP functions must return IActionResult or Task<IActionResult>";
        var sources = Sources(method, trigger, allowRouteValues: true);
        if (sources.Problem is not null) return sources.Problem;
        Http.Add(new HttpFunction(name, method, sources.List, attribute.Route ?? name, attribute.Methods));
        return null;
    }

    private string? AddQueue(string name, MethodInfo method, ParameterInfo trigger, QueueTriggerAttribute attribute)
    {
        // The app's queues are in its data account; a trigger on the host's own (no Connection) would find none in Azure.
        if (attribute.Connection != StorageClients.SettingName)
            return $"queue connection '{attribute.Connection}' is not served locally; use {StorageClients.SettingName}, where the app's queues are";
        var type = trigger.ParameterType;
        if (!QueuePayloadTypes.Contains(type) && !(type.IsClass && type.GetConstructors().Length > 0))
            return $"queue message type {type.Name} is not served locally";
        if (!Returns(method, null)) return "queue functions must return void or Task";
        var sources = Sources(method, trigger, allowRouteValues: false);
        if (sources.Problem is not null) return sources.Problem;
        Queue.Add(new QueueFunction(name, method, sources.List, attribute.QueueName, type));
        return null;
    }

    private string? AddTimer(string name, MethodInfo method, ParameterInfo trigger, TimerTriggerAttribute attribute)
    {
        if (trigger.ParameterType != typeof(TimerInfo)) return "timer triggers must take TimerInfo";
        if (!Returns(method, null)) return "timer functions must return void or Task";
        if (!attribute.Schedule.StartsWith('%') && attribute.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
            return $"timer schedule '{attribute.Schedule}' is not a 6-field NCRONTAB expression";
        var sources = Sources(method, trigger, allowRouteValues: false);
        if (sources.Problem is not null) return sources.Problem;
        Timer.Add(new TimerFunction(name, method, sources.List, attribute.Schedule, attribute.RunOnStartup));
        return null;
    }

    private static (List<ParameterSource> List, string? Problem) Sources(MethodInfo method, ParameterInfo trigger, bool allowRouteValues)
    {
        var list = new List<ParameterSource>();
        foreach (var p in method.GetParameters())
        {
            if (p == trigger) list.Add(ParameterSource.Trigger);
            else if (p.ParameterType == typeof(CancellationToken)) list.Add(ParameterSource.CancellationToken);
            else if (allowRouteValues && p.ParameterType == typeof(string)) list.Add(ParameterSource.RouteOrQuery);
            else return (list, $"parameter '{p.Name}' of type {p.ParameterType.Name} is not bound by the local host");
        }
        return (list, null);
    }

    /// <summary>Whether the method returns <paramref name="result"/> (or a Task of it); null means void or Task.</summary>
    private static bool Returns(MethodInfo method, Type? result)
    {
        var type = method.ReturnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            type = type.GetGenericArguments()[0];
        else if (type == typeof(Task) || type == typeof(ValueTask))
            type = typeof(void);
        return result is null ? type == typeof(void) : result.IsAssignableFrom(type);
    }
}
