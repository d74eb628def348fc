using System.Diagnostics;
using System.Text.RegularExpressions;

namespace O2O.Testing;

/// <summary>
/// A real Azurite, in memory, on ports the OS picks, started from the repo's pinned npm package
/// (npm ci installs it) and stopped when the test process exits.
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private Azurite(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        var script = FindAzuriteScript();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--blobPort", "0", "--queuePort", "0", "--tablePort", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(process);

        var endpoints = new Dictionary<string, string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (endpoints.Count < 3)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("Azurite exited: " + await process.StandardError.ReadToEndAsync());
            if (Listening().Match(line) is { Success: true } match) endpoints[match.Groups[1].Value] = match.Groups[2].Value;
        }
        _ = DrainAsync(process.StandardOutput);
        _ = DrainAsync(process.StandardError);

        var connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";BlobEndpoint={endpoints["Blob"]}/devstoreaccount1;QueueEndpoint={endpoints["Queue"]}/devstoreaccount1;TableEndpoint={endpoints["Table"]}/devstoreaccount1;";
        return new Azurite(process, connectionString);
    }

    public ValueTask DisposeAsync()
    {
        Kill(_process);
        return ValueTask.CompletedTask;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private static string FindAzuriteScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(script)) return script;
        }
        throw new InvalidOperationException("Azurite is not installed: run 'npm ci' at the repository root (scripts/test.sh does).");
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at (http://\S+)")]
    private static partial Regex Listening();
}
