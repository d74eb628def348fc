using System.Text;
using System.Text.RegularExpressions;

namespace O2O.IntegrationTests.LocalHost;

/// <summary>
/// functions/O2O.http, the README's walkthrough, run top to bottom against a local host with the
/// demo data, as an editor's HTTP client would run it: file variables, named responses
/// ({{name.response.body.$.path}}) and {{$guid}}.
/// </summary>
public sealed partial class HttpFileTests
{
    [Fact]
    public async Task The_walkthrough_in_O2O_http_runs_against_the_local_host()
    {
        await using var app = await TestApp.StartIsolatedAsync();
        await DemoData.SeedAsync(app.Host.Services, CancellationToken.None);
        var text = await File.ReadAllTextAsync(Path.Combine(StoreConsole.ConsoleBrowser.RepoRoot(), "functions", "O2O.http"));
        var (variables, requests) = Parse(text);
        variables["base"] = app.Host.BaseAddress().ToString().TrimEnd('/');
        variables["adminKey"] = TestApp.AdminKey;
        var named = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        using var http = new HttpClient();

        foreach (var request in requests)
        {
            var (status, body) = await SendAsync(http, request, variables, named);
            Assert.True((int)status is >= 200 and < 300, $"{request.Method} {request.Url} answered {(int)status}: {body}");
            if (request.Name is not null) named[request.Name] = JsonDocument.Parse(body).RootElement.Clone();
        }

        Assert.Equal(Regex.Count(text, @"^###", RegexOptions.Multiline), requests.Count);
        Assert.Equal("ReadyForPickup", named["ready"].GetProperty("status").GetString());
        var orderId = named["order"].GetProperty("orderId").GetString();
        using var consumer = new HttpClient { BaseAddress = app.Http.BaseAddress };
        consumer.DefaultRequestHeaders.Authorization = new("Bearer", named["login"].GetProperty("token").GetString());
        Assert.Equal("PickedUp", (await (await consumer.GetAsync($"orders/{orderId}")).ReadOkAsync()).GetProperty("status").GetString());
    }

    /// <summary>Sends one request; a 409 (the payment notification not yet applied) is sent again, as a person would.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpClient http, HttpFileRequest request, Dictionary<string, string> variables, Dictionary<string, JsonElement> named)
    {
        var guids = new Dictionary<int, string>();
        string Fill(string s) => Variable().Replace(s, m => Resolve(m.Groups[1].Value.Trim(), m.Index));
        string Resolve(string name, int at)
        {
            if (name == "$guid") return guids.TryGetValue(at, out var g) ? g : guids[at] = Guid.NewGuid().ToString();
            var response = name.Split(".response.body.$.", 2);
            if (response.Length == 2)
                return response[1].Split('.').Aggregate(named[response[0]], (e, p) => e.GetProperty(p)).ToString();
            return variables[name];
        }

        for (var attempt = 0; ; attempt++)
        {
            var message = new HttpRequestMessage(new HttpMethod(request.Method), Fill(request.Url));
            foreach (var (name, value) in request.Headers)
                if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) message.Headers.Add(name, Fill(value));
            if (request.Body is not null) message.Content = new StringContent(Fill(request.Body), Encoding.UTF8, "application/json");
            var answer = await http.SendAsync(message);
            var body = await answer.Content.ReadAsStringAsync();
            if (answer.StatusCode != HttpStatusCode.Conflict || attempt == 100) return (answer.StatusCode, body);
            await Task.Delay(100);
        }
    }

    private sealed record HttpFileRequest(string? Name, string Method, string Url, List<(string Name, string Value)> Headers, string? Body);

    /// <summary>The file's variables and its requests, in the syntax editors' HTTP clients share.</summary>
    private static (Dictionary<string, string> Variables, List<HttpFileRequest> Requests) Parse(string text)
    {
        var blocks = Regex.Split(text.Replace("\r\n", "\n", StringComparison.Ordinal), @"^###.*$", RegexOptions.Multiline);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in FileVariable().Matches(blocks[0])) variables[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        var requests = new List<HttpFileRequest>();
        foreach (var block in blocks.Skip(1))
        {
            var lines = block.Split('\n');
            string? name = null;
            var i = 0;
            for (; i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].StartsWith('#')); i++)
                if (lines[i].StartsWith("# @name ", StringComparison.Ordinal)) name = lines[i]["# @name ".Length..].Trim();
            var requestLine = lines[i++].Split(' ', 2);
            var headers = new List<(string, string)>();
            for (; i < lines.Length && lines[i].Trim().Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                headers.Add((lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
            }
            var body = string.Join('\n', lines.Skip(i)).Trim();
            requests.Add(new HttpFileRequest(name, requestLine[0], requestLine[1].Trim(), headers, body.Length == 0 ? null : body));
        }
        return (variables, requests);
    }

    [GeneratedRegex(@"\{\{(.+?)\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^@(\w+)\s*=(.*)$", RegexOptions.Multiline)]
    private static partial Regex FileVariable();
}
