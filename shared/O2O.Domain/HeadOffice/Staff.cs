namespace O2O.Domain.HeadOffice;

/// <summary>
/// Head office's app roles (Microsoft Entra ID app roles, the "roles" claim): operator runs stores, SKUs,
/// stock, orders and deliveries; finance answers after-sales above a store's limit and keeps agents,
/// ledgers and withdrawals; admin may do everything, store keys included.
/// </summary>
public enum StaffRole
{
    Operator,
    Finance,
    Admin,
}

/// <summary>A person (or, by the admin key, a script) signed in to head office, and how they were recognised.</summary>
/// <param name="Id">Entra ID's object id (oid), stable across renames; "admin-key" for automation.</param>
/// <param name="Via">"entra" (a token), "platform" (App Service authentication's principal) or "admin-key".</param>
public sealed record Staff(string Id, string Name, string Via, IReadOnlyList<StaffRole> Roles)
{
    public static readonly Staff Automation = new("admin-key", "automation (admin key)", "admin-key", [StaffRole.Admin]);

    /// <summary>Whether this person may make changes of <paramref name="role"/>'s kind; admin may make every kind.</summary>
    public bool May(StaffRole role) => Roles.Contains(StaffRole.Admin) || Roles.Contains(role);

    /// <summary>
    /// The roles a claim's values name, by name only (case-insensitive): anything else, another app's role or a number that
    /// Enum.Parse would take for one of ours ("2" for admin), is ignored.
    /// </summary>
    public static IReadOnlyList<StaffRole> RolesFrom(IEnumerable<string> claimValues) =>
        Enum.GetValues<StaffRole>().Where(role => claimValues.Contains(role.ToString(), StringComparer.OrdinalIgnoreCase)).ToList();
}
