namespace O2O.LocalHost;

/// <summary>
/// A stand-in for api.weixin.qq.com's code2Session, speaking its protocol: appid and secret are
/// checked, "dev:&lt;openid&gt;" logs in as that openid, "dev-errcode:&lt;n&gt;" answers WeChat error n
/// (to rehearse 45011, 40226, -1), and any other code answers 40029 as WeChat would.
/// </summary>
public static class WeChatSandbox
{
    public const string BasePath = "/sandbox/wechat";

    public static void Map(WebApplication app, IConfiguration configuration) =>
        app.MapGet(BasePath + "/sns/jscode2session", (HttpRequest request) =>
        {
            var query = request.Query;
            if (query["appid"] != configuration["WeChat:AppId"]) return Error(40013, "invalid appid");
            if (query["secret"] != configuration["WeChat:AppSecret"]) return Error(40125, "invalid appsecret");
            if (query["grant_type"] != "authorization_code") return Error(40002, "invalid grant_type");
            var code = query["js_code"].ToString();
            if (code.StartsWith("dev:", StringComparison.Ordinal) && code.Length > 4)
                return Results.Text(
                    System.Text.Json.JsonSerializer.Serialize(new { openid = code[4..], session_key = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) }),
                    "text/plain");
            if (code.StartsWith("dev-errcode:", StringComparison.Ordinal) && int.TryParse(code["dev-errcode:".Length..], out var errcode))
                return Error(errcode, "sandbox error");
            return Error(40029, "invalid code");
        });

    // WeChat labels its JSON text/plain and answers errors with HTTP 200.
    public static IResult Error(int errcode, string errmsg) =>
        Results.Text(System.Text.Json.JsonSerializer.Serialize(new { errcode, errmsg }), "text/plain");
}
