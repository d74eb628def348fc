using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace O2O.Functions.Http;

/// <summary>
/// Turns an unexpected exception in an HTTP function into a problem+json 500 without a stack
/// trace. Other triggers rethrow, so the host retries the message and finally poisons it.
/// </summary>
public sealed partial class HttpProblemMiddleware(ILogger<HttpProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http)
        {
            LogUnhandled(logger, e, context.FunctionDefinition.Name);
            await Problems.WriteUnexpectedAsync(http.Response);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP function {FunctionName} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string functionName);
}
