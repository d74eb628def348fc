using O2O.Application.Platform;

namespace O2O.Application.Notifications;

/// <summary>WeChat's subscribe messages (/cgi-bin/message/subscribe/send), through <see cref="WeChatApi"/> and its access token.</summary>
public sealed class WeChatMessageClient(WeChatApi weChat)
{
    /// <summary>The user has not subscribed to this template (or used up their subscription): not a failure of ours.</summary>
    public const int NotSubscribed = 43101;

    /// <summary>Sends a message; false when the user has not subscribed to it.</summary>
    public async Task<bool> SendAsync(string openId, string templateId, string page,
        IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["touser"] = openId,
            ["template_id"] = templateId,
            ["page"] = page,
            ["data"] = fields.ToDictionary(f => f.Key, f => (object)new Dictionary<string, string> { ["value"] = f.Value }),
        };
        var answer = await weChat.PostAsync("/cgi-bin/message/subscribe/send", body, cancellationToken);
        return WeChatApi.ErrCode(answer) switch
        {
            0 => true,
            NotSubscribed => false,
            var code => throw new WeChatApiException($"subscribe/send answered {code}: {WeChatApi.ErrMsg(answer)}"),
        };
    }
}
