using O2O.Application.Payments;
using O2O.Application.Payments.WeChatPay;

namespace O2O.Functions.Payments;

/// <summary>
/// WeChat Pay's payment and refund notifications. Accepted: 204, empty. Refused: 4xx with WeChat's
/// own {"code":"FAIL","message"} (never a 200, which WeChat Pay takes as accepted and stops retrying).
/// </summary>
public sealed class WeChatPayNotify(PaymentNotifications notifications)
{
    /// <summary>Notifications are a few hundred bytes; anything far larger is not one.</summary>
    public const int MaxBytes = 64 * 1024;

    [Function(nameof(WeChatPayNotify))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/payments/wechat/notify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await RawBody.ReadAsync(request, MaxBytes, cancellationToken);
        if (body is null) return Fail(StatusCodes.Status413PayloadTooLarge, "body too large");
        var headers = new NotificationHeaders(
            request.Headers["Wechatpay-Signature"], request.Headers["Wechatpay-Timestamp"], request.Headers["Wechatpay-Nonce"],
            request.Headers["Wechatpay-Serial"], request.Headers["Wechatpay-Signature-Type"]);
        var handled = await notifications.HandleAsync(headers, body, cancellationToken);
        return handled.IsSuccess ? new ApiResponse(StatusCodes.Status204NoContent, null) : Fail(Problems.StatusFor(handled.Error.Code), handled.Error.Detail);
    }

    private static ApiResponse Fail(int status, string message) => new(status, new { code = "FAIL", message });
}
