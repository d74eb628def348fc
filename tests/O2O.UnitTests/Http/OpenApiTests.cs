using System.Text.Json;
using System.Text.RegularExpressions;
using O2O.Functions.Http;
using O2O.Functions.Operations;
using O2O.LocalHost;

namespace O2O.UnitTests.Http;

/// <summary>functions/openapi.json is kept by hand beside the functions; these tests keep the two in step.</summary>
public sealed partial class OpenApiTests
{
    private static readonly JsonDocument Document = JsonDocument.Parse(EmbeddedFiles.Find("openapi.json")!.Content);

    [Fact]
    public void Every_route_of_the_app_is_described_and_every_described_route_exists()
    {
        var routes = FunctionIndex.Discover(typeof(GetHealth).Assembly.GetTypes()).Http
            .SelectMany(f => f.Verbs!.Select(v => $"{v.ToUpperInvariant()} /{CatchAll().Replace(f.Route, "{$1}")}"))
            .ToHashSet(StringComparer.Ordinal);
        var described = Document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(routes.Except(described));   // a function nobody described
        Assert.Empty(described.Except(routes));   // a description of a route that is gone
        Assert.Contains("POST /api/stores/{storeId}/pickups/verify", routes);
    }

    [Fact]
    public void The_document_is_openapi_3_1_and_every_reference_resolves()
    {
        var root = Document.RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var references = Refs(root).ToList();

        Assert.Equal("3.1.0", root.GetProperty("openapi").GetString());
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(schemas.TryGetProperty(r["#/components/schemas/".Length..], out _), r));
    }

    [Fact]
    public void Every_path_parameter_is_declared_and_every_operation_says_who_may_call_it()
    {
        foreach (var path in Document.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var declared = operation.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()).ToHashSet()
                    : [];
                Assert.All(PathParameter().Matches(path.Name).Select(m => m.Groups[1].Value), name => Assert.Contains(name, declared));
                Assert.True(operation.Value.TryGetProperty("security", out _), $"{operation.Name} {path.Name} names no security");
            }
    }

    private static IEnumerable<string> Refs(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "$ref" ? [p.Value.GetString()!] : Refs(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Refs),
        _ => [],
    };

    [GeneratedRegex(@"\{\*(\w+)\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();
}
