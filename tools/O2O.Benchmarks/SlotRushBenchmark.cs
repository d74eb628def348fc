using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using O2O.Application.Operations;
using O2O.Application.Stores;

namespace O2O.Benchmarks;

/// <summary>
/// A rush on one pickup slot: every buyer checks out for the same slot of a store that is closed
/// today, at the same moment. Exactly the slot's capacity is accepted, every other buyer is told
/// slot_full with later slots that have room, every order for now is refused store_closed, and the
/// store's stock and slot rows agree with its reservations afterwards.
/// </summary>
public static class SlotRushBenchmark
{
    public sealed record Options(int Buyers, int Capacity, int NowOrders = 100);

    public sealed record Result(
        int Buyers, int Capacity, string Slot, int Created, int SlotFull, int SlotFullNamingLater, int NowOrders, int NowRefused,
        IReadOnlyDictionary<string, int> OtherAnswers, int Retries, TimeSpan AllAnswered, int Reserved, int SlotLeft, IReadOnlyList<Finding> Findings)
    {
        public IReadOnlyList<string> Broken()
        {
            var broken = new List<string>();
            if (Created != Capacity) broken.Add($"{Created} orders accepted for a slot of {Capacity}");
            if (SlotFull != Buyers - Capacity) broken.Add($"{SlotFull} buyers told slot_full, expected {Buyers - Capacity}");
            if (SlotFullNamingLater != SlotFull) broken.Add($"{SlotFull - SlotFullNamingLater} slot_full answers named no later slot");
            if (NowRefused != NowOrders) broken.Add($"{NowOrders - NowRefused} orders for now were not refused store_closed");
            if (OtherAnswers.Count > 0) broken.Add("other answers: " + string.Join(", ", OtherAnswers.Select(p => $"{p.Key} ×{p.Value}")));
            if (Reserved != Capacity) broken.Add($"{Reserved} units reserved, expected {Capacity}");
            if (SlotLeft != 0) broken.Add($"the slot lists {SlotLeft} places left, expected 0");
            broken.AddRange(Findings.Select(f => $"consistency: {f.Kind} {f.Subject} {f.Detail}"));
            return broken;
        }
    }

    public static async Task<Result> RunAsync(Options options)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var shop = new Shop(host);
        var prefix = "R" + Guid.NewGuid().ToString("N")[..6];
        var world = await BenchWorld.SeedAsync(shop, prefix, stores: 1, skus: 1, onHand: options.Buyers, consumers: 0);
        var (store, sku) = (world.Stores[0], world.Skus[0]);
        await CloseTodayAsync(shop, store, options.Capacity);
        var slots = await shop.SendAsync(HttpMethod.Get, $"slots?mode=pickup&storeId={store}&sku={sku}", null);
        var slot = slots.Body.GetProperty("slots")[0].GetProperty("start").GetString()!;
        var buyers = new List<string>();
        foreach (var chunk in Enumerable.Range(0, options.Buyers + options.NowOrders).Chunk(32))
            buyers.AddRange(await Task.WhenAll(chunk.Select(i => shop.LoginAsync($"{prefix}-buyer-{i.ToString(CultureInfo.InvariantCulture)}"))));
        var forSlot = JsonNode.Parse(JsonSerializer.Serialize(Shop.PickupAt(store, sku)))!;
        forSlot["fulfillment"]!["slot"] = slot;

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(buyers.Select((buyer, i) =>
            shop.SendAsync(HttpMethod.Post, "orders", buyer, i < options.Buyers ? forSlot : Shop.PickupAt(store, sku), Guid.NewGuid().ToString())));
        var allAnswered = clock.Elapsed;
        var (rush, now) = (answers[..options.Buyers], answers[options.Buyers..]);
        var full = rush.Where(a => a.Code == "slot_full").ToList();
        var left = await shop.SendAsync(HttpMethod.Get, $"slots?mode=pickup&storeId={store}&sku={sku}", null);
        var row = await shop.SendAsync(HttpMethod.Get, $"admin/stores/{store}/stock/{sku}", BenchmarkHost.AdminKey);
        return new Result(options.Buyers, options.Capacity, slot,
            Created: rush.Count(a => a.Status == HttpStatusCode.Created),
            SlotFull: full.Count,
            SlotFullNamingLater: full.Count(a => a.Body.GetProperty("detail").GetString()!.Contains("slots with room: ", StringComparison.Ordinal)),
            NowOrders: options.NowOrders,
            NowRefused: now.Count(a => a.Code == "store_closed"),
            OtherAnswers: answers.Where(a => a.Status != HttpStatusCode.Created && a.Code is not ("slot_full" or "store_closed"))
                .GroupBy(a => $"{(int)a.Status} {a.Code}").ToDictionary(g => g.Key, g => g.Count()),
            Retries: answers.Sum(a => a.Retries),
            AllAnswered: allAnswered,
            Reserved: row.Body.GetProperty("reserved").GetInt32(),
            SlotLeft: left.Body.GetProperty("slots").EnumerateArray().First(s => s.GetProperty("start").GetString() == slot).GetProperty("left").GetInt32(),
            Findings: await host.SettledChecker().CheckStoreAsync(store, CancellationToken.None));
    }

    /// <summary>Hours 09:00–21:00, closed today and tomorrow (an inventory), one-hour pickup slots of <paramref name="capacity"/> three days ahead.</summary>
    private static async Task CloseTodayAsync(Shop shop, string store, int capacity)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new StoreSettings().Zone()).DateTime);
        var current = await shop.SendAsync(HttpMethod.Get, $"admin/stores/{store}", BenchmarkHost.AdminKey);
        var body = JsonNode.Parse(current.Body.GetRawText())!.AsObject();
        body["hours"] = JsonSerializer.SerializeToNode(new
        {
            weekly = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.ToDictionary(d => d, _ => new[] { "09:00-21:00" }),
            exceptions = new[] { today, today.AddDays(1) }
                .Select(d => new { date = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ranges = Array.Empty<string>(), reason = "inventory" }),
        });
        body["slots"] = JsonSerializer.SerializeToNode(new { pickup = new { lengthMinutes = 60, leadMinutes = 0, daysAhead = 3, capacity } });
        await shop.PutAsync($"admin/stores/{store}", body);
    }

    public static string Report(Result result)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Slot rush").AppendLine();
        text.AppendLine(c, $"""
            `dotnet run -c Release --project tools/O2O.Benchmarks -- slot-rush --buyers {result.Buyers} --capacity {result.Capacity}`,
            run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (Azurite, the local host and the buyers share them).
            """);
        text.AppendLine();
        text.AppendLine(c, $"""
            A store closed today and tomorrow offers one-hour pickup slots of {result.Capacity} from the day after.
            {result.Buyers} signed-in buyers check out one unit each for its first slot ({result.Slot}) at the same
            moment, and {result.NowOrders} more order for now at the same time. The slot's place is taken in the
            same transaction as the stock (a row in the store's partition, under its ETag). A buyer answered 503
            tries again with the same Idempotency-Key after the Retry-After.
            """);
        text.AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---:|");
        text.AppendLine(c, $"| **orders accepted for the slot** | **{result.Created}** of {result.Capacity} places |");
        text.AppendLine(c, $"| buyers told `409 slot_full` | {result.SlotFull} |");
        text.AppendLine(c, $"| of those, told later slots with room | {result.SlotFullNamingLater} |");
        text.AppendLine(c, $"| orders for now refused `409 store_closed` | {result.NowRefused} of {result.NowOrders} |");
        text.AppendLine(c, $"| other answers | {(result.OtherAnswers.Count == 0 ? "none" : string.Join(", ",
            result.OtherAnswers.Select(p => $"{p.Key} ×{p.Value}")))} |");
        text.AppendLine(c, $"| units reserved afterwards | {result.Reserved} |");
        text.AppendLine(c, $"| places left in the slot afterwards | {result.SlotLeft} |");
        text.AppendLine(c, $"| 503 answers retried by buyers | {result.Retries} |");
        text.AppendLine(c, $"| every buyer answered | {result.AllAnswered.TotalSeconds:F1} s |");
        text.AppendLine(c, $"| consistency checker findings for the store (stock, slots) | {result.Findings.Count} |");
        text.AppendLine();
        var broken = result.Broken();
        text.AppendLine(broken.Count == 0 ? "Every promise held: exactly the slot's capacity accepted, every other buyer told the slot " +
            "is full and which later ones have room, no order for now accepted while the store is closed." : "Broken: " + string.Join("; ", broken));
        return text.ToString();
    }
}
