using System.Globalization;
using O2O.Benchmarks;

// dotnet run -c Release --project tools/O2O.Benchmarks -- <lifecycle|flash-sale|slot-rush|faults|checkout> [options]
// Each starts its own Azurite and local host. lifecycle, flash-sale, slot-rush and faults write their report
// (and lifecycle its chart) to --out, docs/benchmarks by default.
var command = args.FirstOrDefault() ?? "lifecycle";
var output = Option("--out") ?? Path.Combine(BenchmarkHost.RepoRoot(), "docs", "benchmarks");
var report = command switch
{
    "lifecycle" => await LifecycleBenchmark.RunAsync(new LifecycleBenchmark.Options(
        Number("--orders", 1000), Number("--concurrency", 32), Number("--delivery-percent", 50) / 100.0,
        Number("--after-sales-percent", 10) / 100.0, Number("--courier-step-ms", 200), output, Number("--scheduled-percent", 20) / 100.0)),
    "flash-sale" => await WriteAsync("flash-sale.md", FlashSaleBenchmark.Report(
        await FlashSaleBenchmark.RunAsync(new FlashSaleBenchmark.Options(Number("--buyers", 1000), Number("--units", 100))))),
    "slot-rush" => await WriteAsync("slot-rush.md", SlotRushBenchmark.Report(
        await SlotRushBenchmark.RunAsync(new SlotRushBenchmark.Options(Number("--buyers", 1000), Number("--capacity", 10))))),
    "faults" => await WriteAsync("faults.md", FaultSuite.Report(await FaultSuite.RunAsync(new FaultSuite.Options(
        Number("--orders", 200), Number("--concurrency", 16), TimeSpan.FromSeconds(Number("--outage-seconds", 5)))))),
    "checkout" => await CheckoutBenchmark.RunAsync(new CheckoutBenchmark.Options(Number("--orders", 400), Number("--concurrency", 32))),
    _ => throw new ArgumentException($"Unknown benchmark '{command}': lifecycle, flash-sale, slot-rush, faults or checkout."),
};
Console.WriteLine(report);

async Task<string> WriteAsync(string file, string text)
{
    Directory.CreateDirectory(output);
    await File.WriteAllTextAsync(Path.Combine(output, file), text);
    return text;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
