using O2O.Functions.Operations;
using O2O.LocalHost;

// dotnet run --project tools/O2O.LocalHost -- [--port 7071] [--settings functions/local.settings.json] [--demo-data]
var port = Option("--port") ?? "7071";
if (Option("--settings") is { } settingsFile && DevKeys.EnsureIn(settingsFile))
    Console.WriteLine($"Generated a dev merchant key, a WeChat Pay sandbox key pair and an APIv3 key into {settingsFile}.");
var app = LocalFunctionsHost.Build(new LocalHostOptions
{
    FunctionTypes = typeof(GetHealth).Assembly.GetTypes(),
    Url = $"http://127.0.0.1:{port}",
    SettingsFile = Option("--settings"),
});
await app.StartAsync();
var demoKey = args.Contains("--demo-data") ? await DemoData.SeedAsync(app.Services, CancellationToken.None) : null;
var index = app.Services.GetRequiredService<FunctionIndex>();
Console.WriteLine($"O2O local host: {index.Http.Count} HTTP, {index.Queue.Count} queue and {index.Timer.Count} timer functions.");
Console.WriteLine($"Listening on {app.BaseAddress()}api (health: {app.BaseAddress()}api/health). Ctrl+C stops.");
Console.WriteLine($"Store console: {app.BaseAddress()}console/  API reference: {app.BaseAddress()}console/api/");
if (demoKey is not null) Console.WriteLine($"Demo store {demoKey.StoreId} signs in with the key {demoKey.Key} (a new one at every start).");
await app.WaitForShutdownAsync();

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
