using System.Reflection;
using O2O.Domain.Common;
using O2O.Functions.Http;

namespace O2O.UnitTests.Http;

public sealed class ProblemsTests
{
    public static TheoryData<string> Codes() =>
        new(typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!));

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_error_code_has_its_own_status(string code)
    {
        Assert.InRange(Problems.StatusFor(code), 400, 503);
        Assert.NotEqual(500, Problems.StatusFor(code));
        Assert.Contains(code, Problems.KnownCodes);
    }

    [Fact]
    public void The_statuses_of_the_contract_hold()
    {
        Assert.Equal(400, Problems.StatusFor(ErrorCodes.ValidationFailed));
        Assert.Equal(401, Problems.StatusFor(ErrorCodes.Unauthorized));
        Assert.Equal(404, Problems.StatusFor(ErrorCodes.NotFound));
        Assert.Equal(409, Problems.StatusFor(ErrorCodes.OutOfStock));
        Assert.Equal(422, Problems.StatusFor(ErrorCodes.IdempotencyKeyReused));
        Assert.Equal(429, Problems.StatusFor(ErrorCodes.RateLimited));
        Assert.Equal(500, Problems.StatusFor("something_new"));
    }

    [Fact]
    public void A_problems_facts_are_written_as_extension_members_beside_the_standard_ones()
    {
        var problem = Problems.Describe(new Error(ErrorCodes.NotFound, "Wrong code.", Facts: new Dictionary<string, object> { ["triesLeft"] = 3 }));

        var json = System.Text.Json.JsonSerializer.Serialize(problem, ApiJson.Options);

        Assert.Equal(
            """{"type":"urn:o2o:problem:not_found","title":"Not found","status":404,"detail":"Wrong code.","code":"not_found","triesLeft":3}""",
            json);
    }

    [Fact]
    public void A_validation_problem_carries_its_field_errors()
    {
        var problem = Problems.Describe(Error.Validation("priceFen", "must be between 0 and 100"));

        Assert.Equal(400, problem.Status);
        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal(["must be between 0 and 100"], problem.Errors!["priceFen"]);
        Assert.Contains("priceFen", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.priceFen", "priceFen")]
    [InlineData("$.items[0].quantity", "items[0].quantity")]
    [InlineData("$", "body")]
    [InlineData(null, "body")]
    public void Json_paths_become_field_names(string? path, string field) => Assert.Equal(field, JsonBody.FieldOf(path));
}
