using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace O2O.LocalHost;

/// <summary>Serves every HTTP trigger at its route under the route prefix, as the Functions host does.</summary>
public static class HttpTriggerEndpoints
{
    public static void Map(WebApplication app, FunctionIndex index, HostJson hostJson, FunctionInvoker invoker)
    {
        foreach (var function in index.Http)
        {
            var pattern = $"/{hostJson.RoutePrefix}/{function.Route}".Replace("//", "/", StringComparison.Ordinal);
            RequestDelegate handler = context => InvokeAsync(context, function, invoker);
            var endpoint = function.Verbs is { Length: > 0 } verbs
                ? app.MapMethods(pattern, verbs.Select(v => v.ToUpperInvariant()), handler)
                : app.Map(pattern, handler);
            endpoint.WithDisplayName(function.Name);
        }
    }

    private static async Task InvokeAsync(HttpContext context, HttpFunction function, FunctionInvoker invoker)
    {
        var parameters = function.Method.GetParameters();
        // As the Functions host does: the caller's W3C trace context, when it sends one, is the invocation's parent.
        ActivityContext.TryParse(context.Request.Headers.TraceParent, context.Request.Headers.TraceState, isRemote: true, out var caller);
        var result = await invoker.InvokeAsync(function, (i, source) => source switch
        {
            ParameterSource.Trigger => context.Request,
            ParameterSource.CancellationToken => context.RequestAborted,
            _ => RouteOrQuery(context, parameters[i].Name!),
        }, caller);
        if (result is IActionResult action)
            await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    /// <summary>Like the Functions binding data: route values first, then the query string.</summary>
    private static string? RouteOrQuery(HttpContext context, string name) =>
        context.Request.RouteValues.TryGetValue(name, out var value) && value is not null
            ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)
            : context.Request.Query.TryGetValue(name, out var query) ? query.ToString() : null;
}
