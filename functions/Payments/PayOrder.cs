using O2O.Application.Auth;
using O2O.Application.Payments;
using O2O.Domain.Orders;

namespace O2O.Functions.Payments;

/// <summary>WeChat Pay JSAPI prepay for the signed-in consumer's order: answers the five wx.requestPayment fields.</summary>
public sealed class PayOrder(PaymentService payments, SessionTokens sessions)
{
    [Function(nameof(PayOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/orders/{orderId}/pay")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (sessions.Validate(Bearer.Token(request)) is not { } openId) return ConsumerAccess.Denied;
        return ApiResponse.From(await payments.PrepayAsync(OrderIds.ConsumerKey(openId), openId, orderId, cancellationToken));
    }
}
