using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace O2O.Testing;

/// <summary>
/// A real Azurite on ports the OS picks, started from the repo's pinned npm package (npm ci
/// installs it) and stopped when the test process exits: its table and its queue service, each in
/// a process of its own, as in Azure they are separate services. Tables are in memory, or on disk
/// in a directory of their own, in which case Azurite can be stopped and started again on the
/// same ports, data intact: the fault suite's storage outage. Queues are always on disk: in
/// memory Azurite keeps each message in an extent of its own and its minutely sweep deletes them
/// one by one, stopping the queue service for 11-16 s once a few thousand messages have passed;
/// on disk messages share extent files. (In one process with the tables, that sweep stopped every
/// table request too.)
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The services the app uses, each started from its own entry point in the npm package.</summary>
    private static readonly string[] Services = ["table", "queue"];

    private readonly string _location;
    private readonly bool _tablesOnDisk;
    private readonly Dictionary<string, int> _ports;
    private List<Process> _processes;

    private Azurite(List<Process> processes, Dictionary<string, int> ports, string location, bool tablesOnDisk)
    {
        _processes = processes;
        _ports = ports;
        _location = location;
        _tablesOnDisk = tablesOnDisk;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";QueueEndpoint=http://127.0.0.1:{ports["queue"]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports["table"]}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static Task<Azurite> StartAsync() => StartAsync(tablesOnDisk: false);

    /// <summary>An Azurite that keeps all its data in a new temporary directory, so it survives <see cref="Stop"/>.</summary>
    public static Task<Azurite> StartOnDiskAsync() => StartAsync(tablesOnDisk: true);

    private static async Task<Azurite> StartAsync(bool tablesOnDisk)
    {
        var location = Directory.CreateTempSubdirectory("azurite-").FullName;
        // The shared Azurite of a test run is never disposed: its files go when the run ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(location);
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts();
            try
            {
                return new Azurite(await LaunchAsync(location, tablesOnDisk, ports), ports, location, tablesOnDisk);
            }
            catch (AzuriteExitedException) when (attempt < 3)
            {
                // Another process took a port between FreePorts and Azurite's bind: other ports.
            }
        }
    }

    /// <summary>
    /// Stops the processes, as an outage would: requests are refused until <see cref="StartAgainAsync"/>.
    /// SIGINT, not a kill: Azurite's database saves itself every 5 s, so a kill would lose writes
    /// it had acknowledged, which Azure Storage never does; on SIGINT it saves them and exits.
    /// (Its table service has no SIGTERM handler: SIGTERM would kill it unsaved.)
    /// </summary>
    public void Stop()
    {
        foreach (var process in _processes)
            if (SendSignal(process.Id, SigInt) != 0) throw new InvalidOperationException($"SIGINT to Azurite failed (errno {Marshal.GetLastPInvokeError()}).");
        foreach (var process in _processes)
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) throw new InvalidOperationException("Azurite did not stop within 30 s of SIGINT.");
    }

    /// <summary>Starts again on the same ports, from the same directory.</summary>
    public async Task StartAgainAsync()
    {
        if (!_tablesOnDisk) throw new InvalidOperationException("In-memory tables lose everything when stopped; use StartOnDiskAsync.");
        _processes = await LaunchAsync(_location, tablesOnDisk: true, _ports);
    }

    /// <summary>
    /// Ports the OS gives free. Picked here rather than by Azurite (port 0) because its table
    /// service reports the port it was asked for, not the one it got.
    /// </summary>
    private static Dictionary<string, int> FreePorts()
    {
        var listeners = Services.Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = Services.Zip(listeners, (service, l) => (service, ((IPEndPoint)l.LocalEndpoint).Port)).ToDictionary(p => p.service, p => p.Port);
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>Starts the services side by side; if one does not come up, none is left running.</summary>
    private static async Task<List<Process>> LaunchAsync(string location, bool tablesOnDisk, Dictionary<string, int> ports)
    {
        var processes = Services.Select(service => Start(service, location, tablesOnDisk, ports[service])).ToList();
        var errors = await Task.WhenAll(processes.Select(WaitUntilListeningAsync));
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            processes.ForEach(Kill);
            throw new AzuriteExitedException(error);
        }
        return processes;
    }

    private static Process Start(string service, string location, bool tablesOnDisk, int port)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        string[] persistence = service == "table" && !tablesOnDisk ? ["--inMemoryPersistence"] : ["--location", location];
        foreach (var arg in (string[])[FindAzuriteScript(service), .. persistence, "--skipApiVersionCheck", "--disableTelemetry",
                     $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(process);
        return process;
    }

    /// <summary>Null once the service says it listens; what it said on stderr if it exited first.</summary>
    private static async Task<string?> WaitUntilListeningAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var listening = false;
        while (!listening && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line) listening = Listening().IsMatch(line);
        if (!listening) return "Azurite exited: " + await process.StandardError.ReadToEndAsync();
        _ = DrainAsync(process.StandardOutput);
        _ = DrainAsync(process.StandardError);
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _processes.ForEach(Kill);
        _processes.ForEach(p => p.WaitForExit());
        DeleteQuietly(_location);
        return ValueTask.CompletedTask;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted already.
        }
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

    private static string FindAzuriteScript(string service)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", service, "main.js");
            if (File.Exists(script)) return script;
        }
        throw new InvalidOperationException("Azurite is not installed: run 'npm ci' at the repository root (scripts/test.sh does).");
    }

    private const int SigInt = 2;

    /// <summary>POSIX kill(2), so stopping needs no kill binary on the machine (Linux and macOS).</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"^Azurite (Queue|Table) service successfully (listens|started) on ")]
    private static partial Regex Listening();

    private sealed class AzuriteExitedException(string message) : InvalidOperationException(message);
}
