using System.Globalization;
using System.Text;

namespace O2O.Application.HeadOffice;

/// <summary>The trail as a spreadsheet opens it: one change a line, the before and after as JSON in their own columns.</summary>
public static class AuditCsv
{
    public const string Header = "at,staff_id,staff_name,via,action,target,outcome,refusal,before,after";

    public static string Write(IEnumerable<AuditEntry> entries)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var e in entries)
            csv.AppendJoin(',', new[]
            {
                e.At.ToString("O", CultureInfo.InvariantCulture), e.StaffId, e.StaffName, e.Via, e.Action, e.Target, e.Outcome,
                e.Refusal ?? "", e.Before?.GetRawText() ?? "", e.After?.GetRawText() ?? "",
            }.Select(Cell)).Append('\n');
        return csv.ToString();
    }

    /// <summary>
    /// Quoted when it holds a comma, quote or line break; and a value a spreadsheet would run as a formula (a name such as
    /// "=HYPERLINK(…)" typed into Entra ID) is prefixed with an apostrophe, so opening the export runs nothing.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal)) value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
