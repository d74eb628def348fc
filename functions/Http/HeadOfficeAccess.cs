using System.Diagnostics.CodeAnalysis;
using O2O.Application.HeadOffice;
using O2O.Domain.HeadOffice;

namespace O2O.Functions.Http;

/// <summary>Whether a head-office route lets the caller in: who they are, or the 401/403 problem to answer.</summary>
public sealed record StaffAccess(Staff? Staff, ApiResponse? Refused)
{
    [MemberNotNullWhen(true, nameof(Staff))]
    [MemberNotNullWhen(false, nameof(Refused))]
    public bool Allowed => Refused is null;
}

public static class HeadOfficeAccess
{
    /// <param name="needed">The role a change needs; null for a read, open to every head-office role.</param>
    public static async Task<StaffAccess> CheckAsync(this HeadOfficeSignIn signIn, HttpRequest request, StaffRole? needed,
        CancellationToken cancellationToken)
    {
        var principal = request.Headers.TryGetValue(PlatformPrincipal.Header, out var header) ? header.ToString() : null;
        var staff = await signIn.StaffAsync(Bearer.Token(request), principal, needed, cancellationToken);
        return staff.IsSuccess ? new StaffAccess(staff.Value, null) : new StaffAccess(null, ApiResponse.Problem(staff.Error));
    }
}
