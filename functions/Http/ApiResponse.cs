using System.Text.Json;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

/// <summary>
/// Every response the API writes. It writes to the response itself rather than relying on MVC
/// formatters, so the Functions host and the local host produce the same bytes.
/// </summary>
public sealed class ApiResponse(int status, object? body, string contentType = "application/json") : IActionResult
{
    public int Status { get; } = status;

    public object? Body { get; } = body;

    /// <summary>Where a created resource lives; sent as the Location header.</summary>
    public string? Location { get; init; }

    public static ApiResponse Ok(object body) => new(StatusCodes.Status200OK, body);

    public static ApiResponse Created(string location, object body) => new(StatusCodes.Status201Created, body) { Location = location };

    public static ApiResponse Problem(Error error) =>
        new(Problems.StatusFor(error.Code), Problems.Describe(error), Problems.ContentType);

    public static ApiResponse From<T>(Result<T> result) where T : notnull =>
        result.IsSuccess ? Ok(result.Value) : Problem(result.Error);

    public async Task ExecuteResultAsync(ActionContext context) => await WriteAsync(context.HttpContext.Response);

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        if (Status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = "Bearer";
        if (Location is not null) response.Headers.Location = Location;
        if (Status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = "1";
        if (Body is null) return;
        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), ApiJson.Options, response.HttpContext.RequestAborted);
    }
}
