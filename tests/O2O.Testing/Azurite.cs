using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace O2O.Testing;

/// <summary>
/// A real Azurite on ports the OS picks, started from the repo's pinned npm package (npm ci
/// installs it) and stopped when the test process exits. In memory, or on disk in a directory of
/// its own, in which case it can be stopped and started again on the same ports, data intact:
/// the fault suite's storage outage.
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? _location;
    private readonly Dictionary<string, string> _endpoints;
    private Process _process;

    private Azurite(Process process, Dictionary<string, string> endpoints, string? location)
    {
        _process = process;
        _endpoints = endpoints;
        _location = location;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";BlobEndpoint={endpoints["Blob"]}/devstoreaccount1;QueueEndpoint={endpoints["Queue"]}/devstoreaccount1;TableEndpoint={endpoints["Table"]}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        var (process, endpoints) = await LaunchAsync(["--inMemoryPersistence"], ("0", "0", "0"));
        return new Azurite(process, endpoints, location: null);
    }

    /// <summary>An Azurite that keeps its data in a new temporary directory, so it survives <see cref="Stop"/>.</summary>
    public static async Task<Azurite> StartOnDiskAsync()
    {
        var location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var (process, endpoints) = await LaunchAsync(["--location", location], ("0", "0", "0"));
        return new Azurite(process, endpoints, location);
    }

    /// <summary>
    /// Stops the process, as an outage would: requests are refused until <see cref="StartAgainAsync"/>.
    /// SIGTERM, not a kill: Azurite's database saves itself every 5 s, so a kill would lose writes
    /// it had acknowledged, which Azure Storage never does; on SIGTERM it saves them and exits.
    /// </summary>
    public void Stop()
    {
        if (SendSignal(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"SIGTERM to Azurite failed (errno {Marshal.GetLastPInvokeError()}).");
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) throw new InvalidOperationException("Azurite did not stop within 30 s of SIGTERM.");
    }

    /// <summary>Starts again on the same ports, from the same directory.</summary>
    public async Task StartAgainAsync()
    {
        if (_location is null) throw new InvalidOperationException("An in-memory Azurite loses everything when stopped; use StartOnDiskAsync.");
        (_process, _) = await LaunchAsync(["--location", _location], (Port("Blob"), Port("Queue"), Port("Table")));
    }

    private string Port(string service) => new Uri(_endpoints[service]).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(Process, Dictionary<string, string>)> LaunchAsync(string[] persistence, (string Blob, string Queue, string Table) ports)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])[FindAzuriteScript(), .. persistence, "--skipApiVersionCheck", "--disableTelemetry",
                     "--blobPort", ports.Blob, "--queuePort", ports.Queue, "--tablePort", ports.Table])
            start.ArgumentList.Add(arg);
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
        return (process, endpoints);
    }

    public ValueTask DisposeAsync()
    {
        Kill(_process);
        if (_location is not null)
        {
            _process.WaitForExit();
            Directory.Delete(_location, recursive: true);
        }
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

    private const int SigTerm = 15;

    /// <summary>POSIX kill(2), so stopping needs no kill binary on the machine (Linux and macOS).</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at (http://\S+)")]
    private static partial Regex Listening();
}
