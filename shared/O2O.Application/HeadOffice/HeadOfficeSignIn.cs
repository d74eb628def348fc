using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Auth;
using O2O.Domain.Common;
using O2O.Domain.HeadOffice;

namespace O2O.Application.HeadOffice;

/// <summary>
/// Who is calling a head-office route, and whether they may: the platform's principal where the platform sets it (and a refusal
/// anywhere else: it would be forged), the admin key for scripts, else a Microsoft Entra ID token. A person with no head-office
/// role is refused everything; reads are open to every role, a change only to its role (and admin).
/// </summary>
public sealed class HeadOfficeSignIn(AdminAuthenticator adminKey, EntraTokens tokens, IOptions<HeadOfficeSettings> settings,
    ILogger<HeadOfficeSignIn> logger)
{
    /// <param name="bearer">The Authorization header's bearer credential, if any.</param>
    /// <param name="principal">The X-MS-CLIENT-PRINCIPAL header, if any.</param>
    /// <param name="needed">The role a change needs; null for a read.</param>
    public async Task<Result<Staff>> StaffAsync(string? bearer, string? principal, StaffRole? needed, CancellationToken cancellationToken)
    {
        Staff? staff;
        if (principal is not null)
        {
            if (!settings.Value.PlatformPrincipal)
            {
                logger.LogWarning("A request carried {Header}, which no platform sets here: refused as forged", PlatformPrincipal.Header);
                return Error.Unauthorized($"{PlatformPrincipal.Header} is not accepted here: this app does not run behind the platform's sign-in.");
            }
            staff = PlatformPrincipal.Read(principal);
        }
        else if (adminKey.IsAdmin(bearer)) staff = Staff.Automation;
        else if (bearer is null) staff = null;
        else
        {
            try
            {
                staff = await tokens.StaffAsync(bearer, cancellationToken);
            }
            catch (EntraUnavailableException e)
            {
                logger.LogError(e, "Head-office tokens cannot be checked: Entra ID's metadata is unreachable (scripts' admin key still works)");
                return Unavailable;
            }
        }

        if (staff is null)
            return Error.Unauthorized("Head office signs in with Microsoft Entra ID ('Authorization: Bearer <access token>'); scripts use the admin key.");
        if (staff.Roles.Count == 0)
            return new Error(ErrorCodes.Forbidden, $"{staff.Name} has no head-office role (operator, finance or admin) in Entra ID.");
        if (needed is { } role && !staff.May(role))
            return new Error(ErrorCodes.Forbidden,
                $"This change needs the {Describe(role)} role; {staff.Name} has {string.Join(", ", staff.Roles.Select(Describe))}.",
                Facts: new Dictionary<string, object> { ["needs"] = Describe(role) });
        return staff;
    }

    private static readonly Error Unavailable =
        new(ErrorCodes.ServiceUnavailable, "Microsoft Entra ID cannot be reached to check the sign-in; retry shortly (scripts' admin key still works).");

    /// <summary>What the page needs to sign a person in with Entra ID (all public); not found when no authority is set.</summary>
    public async Task<Result<SignInPage>> PageAsync(CancellationToken cancellationToken)
    {
        SignInEndpoints? endpoints;
        try
        {
            endpoints = await tokens.EndpointsAsync(cancellationToken);
        }
        catch (EntraUnavailableException)
        {
            return Unavailable;
        }
        var clientId = settings.Value.ClientId;
        return endpoints is null
            ? Error.NotFound("Head office's sign-in is not configured: set HeadOffice__Authority and HeadOffice__ClientId.")
            : new SignInPage(endpoints.Authorize, endpoints.Token, clientId, $"openid profile api://{clientId}/{Scope}");
    }

    /// <summary>The API scope the app registration exposes (docs/head-office.md).</summary>
    public const string Scope = "HeadOffice";

    private static string Describe(StaffRole role) => role.ToString().ToLowerInvariant();
}

public sealed record SignInPage(string AuthorizeUrl, string TokenUrl, string ClientId, string Scope);
