using O2O.Application.Agents;
using O2O.Application.Auth;

namespace O2O.Functions.Agents;

/// <summary>An agent withdraws available commission to their WeChat balance (Idempotency-Key: a retry answers the same withdrawal, with its
/// package_info).</summary>
public sealed class RequestWithdrawal(WithdrawalService withdrawals, SessionTokens sessions)
{
    [Function(nameof(RequestWithdrawal))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/agents/me/withdrawals")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (sessions.Validate(Bearer.Token(request)) is not { } openId) return ConsumerAccess.Denied;
        var body = await JsonBody.ReadAsync<WithdrawalInput>(request, cancellationToken);
        if (!body.IsSuccess) return ApiResponse.Problem(body.Error);
        var asked = await withdrawals.RequestAsync(openId, request.Headers["Idempotency-Key"].ToString(), body.Value, cancellationToken);
        if (!asked.IsSuccess) return ApiResponse.Problem(asked.Error);
        return asked.Value.Replayed
            ? ApiResponse.Ok(asked.Value.Withdrawal)
            : ApiResponse.Created($"/api/agents/me/withdrawals/{asked.Value.Withdrawal.WithdrawalId}", asked.Value.Withdrawal);
    }
}
