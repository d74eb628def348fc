using O2O.Benchmarks;

// dotnet run -c Release --project tools/O2O.Benchmarks -- [--orders 400] [--concurrency 32]
// Starts its own Azurite and local host; prints one report; writes nothing else.
var options = CheckoutBenchmark.Options.Parse(args);
var report = await CheckoutBenchmark.RunAsync(options);
Console.WriteLine(report);
