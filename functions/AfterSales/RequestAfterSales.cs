using O2O.Application.AfterSales;
using O2O.Application.Auth;
using O2O.Domain.AfterSales;

namespace O2O.Functions.AfterSales;

/// <summary>The buyer asks for a refund or a return of some units of an order (Idempotency-Key: a retry answers the same case).</summary>
public sealed class RequestAfterSales(AfterSalesService afterSales, SessionTokens sessions)
{
    [Function(nameof(RequestAfterSales))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/orders/{orderId}/after-sales")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        var body = await JsonBody.ReadAsync<AfterSalesInput>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        var opened = await afterSales.RequestAsync(consumer, orderId, request.Headers["Idempotency-Key"].ToString(), body.Value, cancellationToken);
        if (!opened.IsSuccess) return ApiResponse.Problem(opened.Error);
        return opened.Value.Replayed
            ? ApiResponse.Ok(opened.Value.Case)
            : ApiResponse.Created($"/api/orders/{orderId}/after-sales/{opened.Value.Case.CaseId}", opened.Value.Case);
    }
}
