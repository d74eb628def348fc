using System.Globalization;

namespace O2O.Benchmarks;

/// <summary>
/// Stores a few hundred metres apart in central Shanghai, each stocked with every SKU and with a
/// clerk's key, and signed-in consumers: the world a run's orders move through.
/// </summary>
public sealed record BenchWorld(
    IReadOnlyList<string> Stores,
    IReadOnlyList<(double Lat, double Lng)> Positions,
    IReadOnlyList<string> Skus,
    IReadOnlyDictionary<string, string> Clerks,
    IReadOnlyList<string> Consumers)
{
    /// <summary>The agents whose shares every other consumer came through (none unless asked for).</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <param name="prefix">Keeps two worlds in one Azurite apart.</param>
    /// <param name="agents">Agents to approve; every other consumer then opens the mini-program through one's share, so about half the orders earn
    /// commission.</param>
    public static async Task<BenchWorld> SeedAsync(Shop shop, string prefix, int stores,
        int skus, int onHand, int consumers, string[]? couriers = null, int agents = 0)
    {
        var skuIds = Enumerable.Range(0, skus).Select(i => $"{prefix}-TEA-{i}").ToList();
        foreach (var (sku, i) in skuIds.Select((s, i) => (s, i)))
            await shop.PutAsync($"admin/skus/{sku}", new { name = $"Tea {i}", priceFen = 1800 + i, active = true });
        var storeIds = Enumerable.Range(0, stores).Select(i => $"{prefix}-S{i}").ToList();
        var positions = storeIds.Select((_, i) => (31.23 + i * 0.003, 121.47)).ToList();
        var clerks = new Dictionary<string, string>();
        foreach (var (store, i) in storeIds.Select((s, i) => (s, i)))
        {
            await shop.PutAsync($"admin/stores/{store}", new
            {
                name = store, lat = positions[i].Item1, lng = positions[i].Item2, pickup = true, delivery = true, deliveryRadiusM = 5000, open = true, couriers,
                slots = new { pickup = SlotPolicy, delivery = SlotPolicy },
            });
            foreach (var sku in skuIds) await shop.PutAsync($"admin/stores/{store}/stock/{sku}", new { onHand });
            clerks[store] = await shop.StoreKeyAsync(store);
        }
        var agentIds = Enumerable.Range(0, agents).Select(i => $"{prefix}-A{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var codes = new List<string>();
        foreach (var agentId in agentIds)
        {
            await shop.PutAsync($"admin/agents/{agentId}", new { openId = $"{agentId}-openid", name = agentId, active = true });
            var issued = await shop.SendAsync(HttpMethod.Post, "agents/me/share-codes", await shop.LoginAsync($"{agentId}-openid"), new { });
            codes.Add(issued.Ok ? issued.Text("code") : throw new InvalidOperationException($"share code failed: {issued.Status} {issued.Body}"));
        }
        var tokens = await Task.WhenAll(Enumerable.Range(0, consumers).Select(i =>
            shop.LoginAsync($"{prefix}-o{i.ToString(CultureInfo.InvariantCulture)}", codes.Count > 0 && i % 2 == 0 ? codes[i / 2 % codes.Count] : null)));
        return new BenchWorld(storeIds, positions, skuIds, clerks, tokens) { Agents = agentIds };
    }

    /// <summary>
    /// Order n's cart: pickup at a store, or delivery to a point beside one (the app picks the store);
    /// deliveries spread evenly, <paramref name="deliveryShare"/> of all orders.
    /// </summary>
    /// <param name="scheduledShare">Of all orders, those for a slot (the one after the next ten-minute one) rather than as soon as possible.</param>
    public (object Cart, string Mode) Cart(int n, double deliveryShare, double scheduledShare = 0)
    {
        var sku = Skus[n % Skus.Count];
        var store = n % Stores.Count;
        var delivery = Math.Floor((n + 1) * deliveryShare) > Math.Floor(n * deliveryShare);
        var cart = delivery
            ? Shop.DeliveryTo((Positions[store].Lat + 0.0005, Positions[store].Lng + 0.0005), sku)
            : Shop.PickupAt(Stores[store], sku);
        var scheduled = Math.Floor((n + 1) * scheduledShare) > Math.Floor(n * scheduledShare);
        return (scheduled ? Shop.ForSlot(cart, NextSlotStart()) : cart, delivery ? "delivery" : "pickup");
    }

    /// <summary>Ten-minute slots around the clock, a day ahead, room for every buyer of a run: the scheduled orders' slots.</summary>
    private static readonly object SlotPolicy = new { lengthMinutes = 10, leadMinutes = 0, daysAhead = 1, capacity = 10_000 };

    /// <summary>The start of the slot after the next (the next may begin before the request lands), in Shanghai's time as the slot list gives it.</summary>
    private static string NextSlotStart()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var next = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute / 10 * 10, 0, now.Offset).AddMinutes(20);
        return next.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
