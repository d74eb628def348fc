using System.Globalization;
using O2O.Application.HeadOffice;
using O2O.Domain.Common;

namespace O2O.Functions.HeadOffice;

/// <summary>Head office's audit trail of the last days (?days=1–31, 7 by default; ?target= one thing's changes); ?format=csv exports it.</summary>
public sealed class ListAudit(HeadOfficeSignIn headOffice, HeadOfficeAudit audit)
{
    public const int MaxDays = 31;

    [Function(nameof(ListAudit))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/audit")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var access = await headOffice.CheckAsync(request, null, cancellationToken);
        if (!access.Allowed) return access.Refused;
        var days = 7;
        if (QueryValues.Text(request, "days") is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > MaxDays))
            return ApiResponse.Problem(Error.Validation("days", $"must be a whole number from 1 to {MaxDays}"));
        var entries = await audit.ListAsync(days, QueryValues.Text(request, "target"), cancellationToken);
        return QueryValues.Text(request, "format") == "csv"
            ? new CsvDownload($"audit-{days}d.csv", AuditCsv.Write(entries))
            : ApiResponse.Ok(new { entries });
    }
}
