using O2O.Application.Agents;
using O2O.Application.Auth;

namespace O2O.Functions.Agents;

/// <summary>An active agent draws a share code (for the mini-program's scene), optionally for one SKU or campaign.</summary>
public sealed class IssueShareCode(AgentService agents, SessionTokens sessions)
{
    [Function(nameof(IssueShareCode))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/agents/me/share-codes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (sessions.ConsumerKey(request) is not { } consumer) return ConsumerAccess.Denied;
        var body = request.ContentLength is null or 0 ? new ShareCodeInput(null, null) : null;
        if (body is null)
        {
            var read = await JsonBody.ReadAsync<ShareCodeInput>(request, cancellationToken);
            if (!read.IsSuccess) return ApiResponse.Problem(read.Error);
            body = read.Value;
        }
        var issued = await agents.IssueShareCodeAsync(consumer, body, cancellationToken);
        return issued.IsSuccess ? ApiResponse.Created("/api/agents/me/share-codes", issued.Value) : ApiResponse.Problem(issued.Error);
    }
}
