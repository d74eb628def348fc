using System.Text.RegularExpressions;

namespace O2O.Domain.Common;

/// <summary>
/// The shape of every caller-chosen id (SKU codes, store ids): short, ASCII, and safe as a
/// Table Storage key, which forbids '/', '\\', '#', '?' and control characters.
/// </summary>
public static partial class Identifier
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    public static ValidationErrors Check(this ValidationErrors errors, string field, string? id)
    {
        if (!IsValid(id)) errors.Add(field, $"must be 1 to {MaxLength} letters, digits, '-' or '_', starting with a letter or digit");
        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
