using System.Text;
using System.Text.Json;
using O2O.Domain.HeadOffice;

namespace O2O.Application.HeadOffice;

/// <summary>
/// App Service authentication's X-MS-CLIENT-PRINCIPAL: base64 of {"auth_typ", "claims": [{"typ", "val"}], "name_typ", "role_typ"}.
/// Read only where <see cref="HeadOfficeSettings.PlatformPrincipal"/> says the platform sets it.
/// </summary>
public static class PlatformPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The person the header names, or null for a header that is not a principal.</summary>
    public static Staff? Read(string header)
    {
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = json.RootElement;
            var claims = root.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "", Value: c.GetProperty("val").GetString() ?? "")).ToList();
            string? Claim(string type) => claims.FirstOrDefault(c => c.Type == type).Value;
            var nameType = root.TryGetProperty("name_typ", out var n) ? n.GetString() : null;
            var roleType = root.TryGetProperty("role_typ", out var r) ? r.GetString() ?? "roles" : "roles";
            var id = Claim("http://schemas.microsoft.com/identity/claims/objectidentifier") ?? Claim("oid");
            if (string.IsNullOrEmpty(id)) return null;
            var name = (nameType is null ? null : Claim(nameType)) ?? Claim("name") ?? id;
            return new Staff(id, name, "platform", Staff.RolesFrom(claims.Where(c => c.Type == roleType || c.Type == "roles").Select(c => c.Value)));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
