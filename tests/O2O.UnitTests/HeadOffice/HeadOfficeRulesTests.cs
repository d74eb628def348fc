using System.Text;
using O2O.Application.HeadOffice;
using O2O.Domain.HeadOffice;

namespace O2O.UnitTests.HeadOffice;

public sealed class HeadOfficeRulesTests
{
    [Fact]
    public void Roles_are_read_from_claims_ignoring_case_and_other_apps_roles_and_admin_may_everything()
    {
        var roles = Staff.RolesFrom(["Finance", "operator", "Reader", "finance", "7"]);
        Assert.Equal([StaffRole.Operator, StaffRole.Finance], roles);
        Assert.Empty(Staff.RolesFrom(["2", "0", " admin", "Admin,Finance"])); // a number or a list is not a role's name

        var finance = new Staff("id", "Fang", "entra", [StaffRole.Finance]);
        Assert.True(finance.May(StaffRole.Finance));
        Assert.False(finance.May(StaffRole.Operator));
        Assert.False(finance.May(StaffRole.Admin));
        Assert.All(Enum.GetValues<StaffRole>(), role => Assert.True(Staff.Automation.May(role)));
    }

    [Fact]
    public void The_platform_principal_gives_its_object_id_name_and_roles_and_anything_else_reads_as_no_one()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        var staff = PlatformPrincipal.Read(Encode("""
            {"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[
              {"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"oid-7"},
              {"typ":"name","val":"Pat"},{"typ":"roles","val":"operator"},{"typ":"roles","val":"admin"}]}
            """));
        Assert.NotNull(staff);
        Assert.Equal(("oid-7", "Pat", "platform"), (staff.Id, staff.Name, staff.Via));
        Assert.Equal([StaffRole.Operator, StaffRole.Admin], staff.Roles);

        Assert.Null(PlatformPrincipal.Read("not base64!"));
        Assert.Null(PlatformPrincipal.Read(Encode("[1,2]")));
        Assert.Null(PlatformPrincipal.Read(Encode("""{"claims":[{"typ":"name","val":"no object id"}]}""")));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("", "")]
    public void A_csv_cell_is_quoted_when_it_must_be_and_never_runs_as_a_formula(string value, string cell) =>
        Assert.Equal(cell, AuditCsv.Cell(value));

    [Theory]
    [InlineData(false, "https://login.microsoftonline.com/t/v2.0", "client", true)]
    [InlineData(false, "http://127.0.0.1:7071/sandbox/entra/t/v2.0", "client", false)]
    [InlineData(true, "http://127.0.0.1:7071/sandbox/entra/t/v2.0", "client", true)]
    [InlineData(true, "https://login.microsoftonline.com/t/v2.0", "", false)]
    [InlineData(false, "", "", true)]
    public void A_deployed_app_takes_tokens_only_from_an_https_authority_with_a_client_id(bool development, string authority, string clientId, bool valid)
    {
        var result = new HeadOfficeSettingsCheck(development).Validate(null, new HeadOfficeSettings { Authority = authority, ClientId = clientId });
        Assert.Equal(valid, result.Succeeded);
    }
}
