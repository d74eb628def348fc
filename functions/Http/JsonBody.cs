using System.Text.Json;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

/// <summary>Reads a request body into a request record, with every failure a 400 naming the field.</summary>
public static class JsonBody
{
    /// <summary>The largest body any route accepts (an order of 50 lines is well under 8 KiB).</summary>
    public const int MaxBytes = 32 * 1024;

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength > MaxBytes) return TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return TooLarge();
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return Error.Validation("body", "a JSON object is required");

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ApiJson.Options);
            return value is null ? Error.Validation("body", "a JSON object is required") : value;
        }
        catch (JsonException e)
        {
            return IsSyntaxError(e)
                ? Error.Validation("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})")
                : Error.Validation(FieldOf(e.Path), "has the wrong type or is out of range");
        }
    }

    /// <summary>
    /// Reads the body and answers with what <paramref name="handle"/> makes of it: the route's one
    /// call of its service. A body that cannot be read is answered with its 400, and nothing is called.
    /// </summary>
    public static async Task<IActionResult> AnswerAsync<TBody, TResult>(
        HttpRequest request, Func<TBody, Task<Result<TResult>>> handle, CancellationToken cancellationToken)
        where TBody : class
        where TResult : notnull
    {
        var body = await ReadAsync<TBody>(request, cancellationToken);
        return body.IsSuccess ? ApiResponse.From(await handle(body.Value)) : ApiResponse.Problem(body.Error);
    }

    /// <summary>"$.items[0].quantity" → "items[0].quantity"; the root is "body".</summary>
    public static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    // The serializer wraps the reader's own exception for malformed text; conversion failures have none.
    private static bool IsSyntaxError(JsonException e) => e.InnerException is JsonException;

    private static Error TooLarge() => Error.Validation("body", $"must be at most {MaxBytes} bytes");
}
