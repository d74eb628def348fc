using System.Text;
using O2O.Application.Dispatch;
using O2O.Domain.Common;
using Push = O2O.Application.Dispatch.Couriers.CourierWebhook;

namespace O2O.Functions.Dispatch;

/// <summary>A courier platform's status push, in its own format and signature; answered in the format it expects.</summary>
public sealed class CourierWebhook(CourierWebhooks webhooks)
{
    /// <summary>Status pushes are a few hundred bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    [Function(nameof(CourierWebhook))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/couriers/{provider}/webhook")] HttpRequest request,
        string provider,
        CancellationToken cancellationToken)
    {
        var body = await RawBody.ReadAsync(request, MaxBytes, cancellationToken);
        if (body is null) return ApiResponse.Problem(Error.Validation("body", $"must be at most {MaxBytes} bytes"));
        var query = request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
        var answer = await webhooks.ReceiveAsync(provider, new Push(Encoding.UTF8.GetString(body), query), cancellationToken);
        if (answer is null) return ApiResponse.Problem(Error.NotFound($"There is no courier platform '{provider}'."));
        return new ContentResult { StatusCode = answer.Status, Content = answer.Json, ContentType = "application/json" };
    }
}
