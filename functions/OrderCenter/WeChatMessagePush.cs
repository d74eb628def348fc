using System.Text;
using O2O.Application.OrderCenter;
using O2O.Domain.Common;

namespace O2O.Functions.OrderCenter;

/// <summary>
/// The mini-program's message push URL (消息推送): WeChat's check of the URL (GET, echostr back) and
/// its pushes (POST), signed with the push token and, in safe mode, encrypted. A push that is not
/// signed is a 401 and nothing is recorded; a signed one is answered "success".
/// </summary>
public sealed class WeChatMessagePush(OrderCenterPushes pushes)
{
    /// <summary>Pushes are a few hundred bytes; anything far larger is not one.</summary>
    public const int MaxBytes = 64 * 1024;

    [Function(nameof(WeChatMessagePush))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/wechat/message-push")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = request.Query;
        var body = HttpMethods.IsGet(request.Method) ? [] : await RawBody.ReadAsync(request, MaxBytes, cancellationToken);
        if (body is null) return ApiResponse.Problem(Error.Validation("body", $"is over {MaxBytes} bytes"));
        var push = new PushRequest(query["signature"], query["timestamp"], query["nonce"], query["encrypt_type"], query["msg_signature"],
            Encoding.UTF8.GetString(body));
        var answer = HttpMethods.IsGet(request.Method)
            ? pushes.Verify(push, query["echostr"])
            : await pushes.HandleAsync(push, cancellationToken);
        return answer.IsSuccess ? new ContentResult { Content = answer.Value, ContentType = "text/plain" } : ApiResponse.Problem(answer.Error);
    }
}
