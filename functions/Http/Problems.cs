using O2O.Domain.Common;

namespace O2O.Functions.Http;

/// <summary>RFC 9457 problem details with the API's stable codes: the one error mapping of the app.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    private static readonly Dictionary<string, (int Status, string Title)> ByCode = new(StringComparer.Ordinal)
    {
        [ErrorCodes.ValidationFailed] = (400, "The request is not valid"),
        [ErrorCodes.Unauthorized] = (401, "Authentication is required"),
        [ErrorCodes.Forbidden] = (403, "Not allowed"),
        [ErrorCodes.NotFound] = (404, "Not found"),
        [ErrorCodes.InvalidTransition] = (409, "The order cannot make that change now"),
        [ErrorCodes.OutOfStock] = (409, "Out of stock"),
        [ErrorCodes.NoStoreAvailable] = (409, "No store can serve this order"),
        [ErrorCodes.StoreClosed] = (409, "The store is not taking orders now"),
        [ErrorCodes.SlotUnavailable] = (409, "The slot asked for is not offered"),
        [ErrorCodes.SlotFull] = (409, "The slot asked for is full"),
        [ErrorCodes.Conflict] = (409, "Conflict"),
        [ErrorCodes.PickupCodeUsed] = (404, "This pickup code was already used"),
        [ErrorCodes.PickupCodeExpired] = (404, "This pickup code has expired"),
        [ErrorCodes.WrongStore] = (404, "This pickup code belongs to another store"),
        [ErrorCodes.NothingToHandOver] = (409, "Every unit of this order was refunded: nothing to hand over"),
        [ErrorCodes.AfterSalesOpen] = (409, "An after-sales case of the order is open"),
        [ErrorCodes.AfterSalesWindowClosed] = (409, "The after-sales window has closed"),
        [ErrorCodes.ApprovalLimitExceeded] = (403, "Above the store's approval limit"),
        [ErrorCodes.IdempotencyKeyReused] = (422, "The Idempotency-Key was used for another request"),
        [ErrorCodes.RateLimited] = (429, "Too many requests"),
        [ErrorCodes.TooManyUnpaidOrders] = (429, "Too many unpaid orders"),
        [ErrorCodes.AgentInactive] = (403, "The agent account is not active"),
        [ErrorCodes.WeChatCodeInvalid] = (401, "The WeChat login code is not valid"),
        [ErrorCodes.WeChatUserBlocked] = (403, "WeChat has blocked this user"),
        [ErrorCodes.WeChatUnavailable] = (503, "WeChat is unavailable"),
        [ErrorCodes.WeChatPayUnavailable] = (503, "WeChat Pay is unavailable"),
        [ErrorCodes.ServiceUnavailable] = (503, "Temporarily unavailable"),
        [InternalErrorCode] = (500, "Something went wrong on our side"),
    };

    public const string InternalErrorCode = "internal_error";

    public static IEnumerable<string> KnownCodes => ByCode.Keys;

    public static int StatusFor(string code) => ByCode.TryGetValue(code, out var known) ? known.Status : 500;

    public static ProblemBody Describe(Error error)
    {
        var (status, title) = ByCode.TryGetValue(error.Code, out var known) ? known : ByCode[InternalErrorCode];
        return new ProblemBody($"urn:o2o:problem:{error.Code}", title, status, error.Detail, error.Code, error.FieldErrors)
        {
            Facts = error.Facts?.ToDictionary(f => f.Key, f => f.Value),
        };
    }

    /// <summary>For a failure nobody anticipated: a problem with no stack trace and no exception text.</summary>
    public static Task WriteUnexpectedAsync(HttpResponse response)
    {
        if (response.HasStarted) return Task.CompletedTask;
        response.Clear();
        return ApiResponse.Problem(new Error(InternalErrorCode,
            "The request failed unexpectedly. It is safe to retry; if it keeps failing, quote the time to support.")).WriteAsync(response);
    }

    public sealed record ProblemBody(
        string Type, string Title, int Status, string Detail, string Code, IReadOnlyDictionary<string, string[]>? Errors)
    {
        /// <summary>Extension members (RFC 9457 §3.2), written beside the standard ones (an extension bag cannot be a constructor parameter).</summary>
        [System.Text.Json.Serialization.JsonExtensionData]
        public Dictionary<string, object>? Facts { get; init; }
    }
}
