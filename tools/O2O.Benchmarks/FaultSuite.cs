using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Queues;
using O2O.Application.Operations;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;
using O2O.LocalHost;

namespace O2O.Benchmarks;

/// <summary>
/// Whole lifecycles while things go wrong: Azurite stopped mid-run and started again from its disk;
/// courier platforms that answer 503 (Meituan), never answer (SF) or answer slowly (Dada); a rider
/// whose webhooks come twice and out of order; payment notifications replayed; forged payment
/// notifications and courier webhooks, among them Dada pushes whose MD5 the forger computed
/// correctly (Dada's scheme has no secret). Then, once the app has settled, an audit: no order lost,
/// no stock leaked, no event missing (doubles counted, as at-least-once allows), no notification
/// sent twice, every poison message listed with its order, and the consistency checker clean.
/// </summary>
public static class FaultSuite
{
    public sealed record Options(int Orders, int Concurrency, TimeSpan Outage);

    public sealed record Result(
        Options Options,
        IReadOnlyList<LifecycleOutcome> Outcomes,
        TimeSpan Elapsed,
        bool Settled,
        IReadOnlyList<string> LostOrders,
        IReadOnlyList<string> Unfinished,
        IReadOnlyList<string> StockLeaks,
        int EventsInOutboxes,
        IReadOnlyList<string> MissingEvents,
        int DoubledEvents,
        int DoubledNotifications,
        IReadOnlyList<string> PoisonMessages,
        OrderCenterAudit OrderCenter,
        IReadOnlyList<Finding> Findings,
        IReadOnlyDictionary<string, int> Faults)
    {
        /// <summary>Every promise that did not hold, in words; empty when the app came through.</summary>
        public IReadOnlyList<string> Broken()
        {
            var broken = new List<string>();
            if (!Settled) broken.Add("the app did not settle within 3 minutes after the run");
            broken.AddRange(LostOrders.Select(o => "lost: " + o));
            broken.AddRange(Unfinished.Select(o => "unfinished: " + o));
            broken.AddRange(StockLeaks.Select(l => "stock: " + l));
            broken.AddRange(MissingEvents.Select(e => "event never published: " + e));
            if (DoubledNotifications > 0) broken.Add($"{DoubledNotifications} consumer notifications sent twice");
            broken.AddRange(OrderCenter.Missing.Select(o => "shipping information never uploaded: " + o));
            broken.AddRange(OrderCenter.ChangedBodies.Select(o => "shipping information uploaded again with another body: " + o));
            broken.AddRange(Findings.Select(f => $"consistency: {f.Kind} {f.StoreId} {f.Subject} {f.Detail}"));
            foreach (var (fault, count) in Faults.Where(f => f.Key.StartsWith("accepted ", StringComparison.Ordinal) && f.Value > 0))
                broken.Add($"{count} {fault}");
            return broken;
        }
    }

    private const int OnHand = 10_000;

    public static async Task<Result> RunAsync(Options options)
    {
        await using var host = await BenchmarkHost.StartAsync(onDisk: true, overrides: new Dictionary<string, string?>
        {
            ["Sandbox__CourierStepMs"] = "100",
            ["Sandbox__WeChatPayRetryScale"] = "0.01", // WeChat Pay's 15 s, 15 s, 30 s… retries in 150 ms, 150 ms, 300 ms…
            ["LocalHost__QueueLeaseSeconds"] = "20",
            ["OrderCenter__ReconcileAfterMinutes"] = "1",   // a message whose function lost storage comes back within the run
        });
        var shop = new Shop(host);
        var world = await BenchWorld.SeedAsync(shop, "X", stores: 4, skus: 2, onHand: OnHand, consumers: options.Concurrency,
            couriers: ["meituan", "sf", "dada"]);
        var couriers = host.Get<CourierSandbox>();
        // Meituan fails fast, SF only after its timeouts; both breakers open and Dada carries the deliveries.
        couriers.SetBehaviour("meituan", CourierBehaviour.Down);
        couriers.SetBehaviour("sf", CourierBehaviour.Hang);
        couriers.SetBehaviour("dada", CourierBehaviour.Slow);
        couriers.SetBehaviourFor(world.Stores[^1], CourierBehaviour.Shuffle, "dada");

        var faults = new FaultCounts();
        var payments = host.Get<WeChatPaySandbox>();
        var notifyUrl = new Uri(host.Api, "payments/wechat/notify").ToString();
        using var events = new OrderEvents(host.Get<EventGridSandbox>());
        var lifecycles = new Lifecycles(shop, events, new LatencyBook(),
            beforePayerConfirms: orderId => ForgePaymentAsync(host, payments, notifyUrl, orderId, faults),
            afterPaid: orderId => ReplayPaymentAsync(host, payments, notifyUrl, orderId, faults));

        var outcomes = new LifecycleOutcome[options.Orders];
        var next = -1;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var chaos = Task.WhenAll(
            OutageAsync(host, options, () => Volatile.Read(ref next), faults),
            ForgeCourierWebhooksAsync(host, couriers, faults, stop.Token),
            ForgeDadaPushesAsync(host, couriers, faults, stop.Token),
            TroubleWeChatAsync(host, faults, stop.Token));
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < options.Orders)
            {
                var (cart, mode) = world.Cart(n, 0.5);
                outcomes[n] = await lifecycles.RunAsync(world.Consumers[worker], cart, mode, world.Clerks);
            }
        }));
        stop.Cancel();
        await chaos;
        var elapsed = clock.Elapsed;
        var settled = await Settling.WaitAsync(host, TimeSpan.FromMinutes(3));
        return await AuditAsync(host, world, options, outcomes, elapsed, settled, events, faults);
    }

    /// <summary>
    /// WeChat's order center in trouble: every second its next two uploads answer "system busy" (-1),
    /// unless two still wait for their uploads (so the faults never pile up beyond the run), and every
    /// ten seconds every access token expires (42001): uploads are redelivered, tokens fetched again,
    /// and the reconciler finds what the queue gave up on.
    /// </summary>
    private static async Task TroubleWeChatAsync(BenchmarkHost host, FaultCounts faults, CancellationToken stop)
    {
        var orderCenter = host.Get<WeChatOrderCenterSandbox>();
        var tokens = host.Get<WeChatMessageSandbox>();
        for (var tick = 1; !stop.IsCancellationRequested; tick++)
        {
            if (orderCenter.PendingFaults == 0)
            {
                orderCenter.FailNext(-1, -1);
                faults.Add("WeChat uploads answered 'system busy'");
                faults.Add("WeChat uploads answered 'system busy'");
            }
            if (tick % 10 == 0)
            {
                tokens.ExpireTokens();
                faults.Add("WeChat access tokens expired");
            }
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Once a third of the orders have started, Azurite dies; after the outage it comes back on the same ports, from disk.</summary>
    private static async Task OutageAsync(BenchmarkHost host, Options options, Func<int> started, FaultCounts faults)
    {
        while (started() < options.Orders / 3) await Task.Delay(50);
        host.Azurite.Stop();
        faults.Add("Azurite outages");
        await Task.Delay(options.Outage);
        await host.Azurite.StartAgainAsync();
    }

    /// <summary>Before the payer confirms, a "success" notification for the order with a signature that is not WeChat Pay's.</summary>
    private static async Task ForgePaymentAsync(BenchmarkHost host, WeChatPaySandbox payments, string notifyUrl, string orderId, FaultCounts faults)
    {
        if (payments.Transaction(orderId) is not { } transaction) return;
        transaction["trade_state"] = "SUCCESS";
        transaction["transaction_id"] = "4200000000" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);
        transaction["success_time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var (body, headers) = payments.SignedNotification("TRANSACTION.SUCCESS", "transaction", transaction, DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, notifyUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, name == "Wechatpay-Signature" ? Convert.ToBase64String(Guid.NewGuid().ToByteArray()) : value);
        await CountAsync(host, request, faults, "forged payment notifications");
    }

    /// <summary>Once paid, the same success notification again, as WeChat Pay sends it when it missed the answer.</summary>
    private static async Task ReplayPaymentAsync(BenchmarkHost host, WeChatPaySandbox payments, string notifyUrl, string orderId, FaultCounts faults)
    {
        if (payments.Transaction(orderId) is not { } transaction) return;
        using var request = payments.NotificationRequest(notifyUrl, "TRANSACTION.SUCCESS", "transaction", transaction);
        await CountAsync(host, request, faults, "replayed payment notifications");
    }

    /// <summary>Every half second, a "delivered" webhook for a live Dada booking with its update_time (which Dada signs) altered after signing.</summary>
    private static async Task ForgeCourierWebhooksAsync(BenchmarkHost host, CourierSandbox couriers, FaultCounts faults, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (couriers.Bookings("dada") is { Count: > 0 } bookings)
            {
                var booking = bookings[Random.Shared.Next(bookings.Count)];
                var (body, query, contentType) = couriers.Webhook(booking, CourierStatus.Delivered);
                using var request = new HttpRequestMessage(HttpMethod.Post, booking.Callback + query)
                {
                    Content = new StringContent(body.Replace("\"update_time\":", "\"update_time\":1", StringComparison.Ordinal), Encoding.UTF8, contentType),
                };
                await CountAsync(host, request, faults, "forged courier webhooks");
            }
            await Task.Delay(500, CancellationToken.None);
        }
    }

    /// <summary>
    /// Every 200 ms, a Dada push for a live Dada delivery with a status the rider has not reached
    /// (or a cancellation or a return), signed correctly, as anyone can. Afterwards the order must
    /// be no further along than Dada itself says, nor cancelled, returned or re-dispatched: any of
    /// those counts as an accepted forgery.
    /// </summary>
    private static async Task ForgeDadaPushesAsync(BenchmarkHost host, CourierSandbox couriers, FaultCounts faults, CancellationToken stop)
    {
        var orders = host.Get<OrderTable>();
        CourierStatus[] statuses = [.. Enum.GetValues<CourierStatus>()];
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(200, CancellationToken.None);
            var live = couriers.Bookings("dada").Where(b => b.Status < CourierStatus.Delivered && !b.Cancelled).ToList();
            if (live.Count == 0) continue;
            var booking = live[Random.Shared.Next(live.Count)];
            var forged = statuses.Where(s => s != booking.Status).ElementAt(Random.Shared.Next(statuses.Length - 1));
            var (body, query, contentType) = couriers.Webhook(booking, forged, riderName: "假骑手");
            using var request = new HttpRequestMessage(HttpMethod.Post,
                booking.Callback + query)
            { Content = new StringContent(body, Encoding.UTF8, contentType) };
            try
            {
                using var response = await host.Http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    faults.Add($"forged dada pushes with a correct MD5, answered {(int)response.StatusCode}");
                    continue;
                }
                var orderId = DeliveryIds.OrderIdOf(booking.DeliveryId)!;
                var order = (await orders.GetAsync(OrderIds.ConsumerKeyOf(orderId)!, orderId, CancellationToken.None))!.Order;
                var real = booking.Status; // read after the order: the platform's state only moves forward
                var delivery = order.Delivery!;
                var moved = delivery.DeliveryId(orderId) != booking.DeliveryId ? !booking.Cancelled
                    : delivery.Status >= CourierStatus.Cancelled || order.Status == OrderStatus.Cancelled
                      || (delivery.Status > real && real < CourierStatus.Cancelled) || delivery.RiderName == "假骑手";
                faults.Add(moved ? "accepted forged dada pushes with a correct MD5" : "forged dada pushes with a correct MD5, changed nothing");
            }
            catch (HttpRequestException)
            {
                faults.Add("forged dada pushes with a correct MD5, unanswered");
            }
        }
    }

    /// <summary>Sends a fault's request and files the answer: refused (4xx), accepted (2xx, fine for a replay, a defect for a forgery), or
    /// unanswered.</summary>
    private static async Task CountAsync(BenchmarkHost host, HttpRequestMessage request, FaultCounts faults, string fault)
    {
        try
        {
            using var response = await host.Http.SendAsync(request);
            var forged = fault.StartsWith("forged", StringComparison.Ordinal);
            faults.Add((int)response.StatusCode switch
            {
                >= 400 and < 500 => $"{fault}, refused",
                >= 200 and < 300 => forged ? $"accepted {fault}" : $"{fault}, acknowledged",
                _ => $"{fault}, answered {(int)response.StatusCode} (storage down)",
            });
        }
        catch (HttpRequestException)
        {
            faults.Add($"{fault}, unanswered");
        }
    }

    private static async Task<Result> AuditAsync(BenchmarkHost host, BenchWorld world, Options options, LifecycleOutcome[] outcomes,
        TimeSpan elapsed, bool settled, OrderEvents events, FaultCounts faults)
    {
        var orders = host.Get<OrderTable>();
        var stored = new List<OrderTable.StoredOrder>();
        var lost = new List<string>();
        var unfinished = new List<string>();
        foreach (var outcome in outcomes.Where(o => o.OrderId is not null))
        {
            var order = await orders.GetAsync(OrderIds.ConsumerKeyOf(outcome.OrderId!)!, outcome.OrderId!, CancellationToken.None);
            if (order is null)
            {
                lost.Add($"{outcome.OrderId} ({outcome.Result})");
                continue;
            }
            stored.Add(order);
            var expected = outcome.Mode == "pickup" ? OrderStatus.PickedUp : OrderStatus.Delivered;
            if (order.Order.Status != expected) unfinished.Add($"{outcome.OrderId} is " +
                $"{order.Order.Status}, expected {expected} (client saw: {outcome.Result})");
        }
        foreach (var outcome in outcomes.Where(o => o.OrderId is null))
            unfinished.Add($"a {outcome.Mode} checkout never got an order: {outcome.Result}");

        // Stock: what left the shop is exactly what was handed over, and nothing stays reserved.
        var leaks = new List<string>();
        var handedOver = stored.Where(s => s.Order.Status is OrderStatus.PickedUp or OrderStatus.Delivered)
            .SelectMany(s => s.Order.Lines.Select(l => (s.Order.StoreId, l.Sku, l.Quantity)))
            .GroupBy(l => (l.StoreId, l.Sku)).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var holding = stored.Where(s => s.Order.Status is not (OrderStatus.PickedUp or OrderStatus.Delivered or OrderStatus.Cancelled))
            .SelectMany(s => s.Order.Lines.Select(l => (s.Order.StoreId, l.Sku, l.Quantity)))
            .GroupBy(l => (l.StoreId, l.Sku)).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        foreach (var store in world.Stores)
            foreach (var sku in world.Skus)
            {
                var row = await new Shop(host).SendAsync(HttpMethod.Get, $"admin/stores/{store}/stock/{sku}", BenchmarkHost.AdminKey);
                var (onHand, reserved) = (row.Body.GetProperty("onHand").GetInt32(), row.Body.GetProperty("reserved").GetInt32());
                var expected = (OnHand - handedOver.GetValueOrDefault((store, sku)), holding.GetValueOrDefault((store, sku)));
                if ((onHand, reserved) != expected)
                    leaks.Add($"{store}/{sku}: onHand {onHand}, reserved {reserved}; expected {expected.Item1} and {expected.Item2}");
            }

        // Events: every outbox event reached the topic at least once; doubles are at-least-once at work.
        var outboxEvents = stored.SelectMany(s => s.Outbox).ToList();
        var missing = outboxEvents.Where(e => events.TimesSeen.GetValueOrDefault(e.EventId) == 0).Select(e => $"{e.OrderId} {e.Type} ({e.State})").ToList();
        var doubled = outboxEvents.Count(e => events.TimesSeen.GetValueOrDefault(e.EventId) > 1);
        var doubledNotifications = host.Get<WeChatMessageSandbox>().Sent
            .GroupBy(m => (m.ToUser, m.Page, Data: m.Data.GetRawText())).Sum(g => g.Count() - 1);

        return new Result(options, outcomes, elapsed, settled, lost, unfinished, leaks, outboxEvents.Count, missing, doubled, doubledNotifications,
            await PoisonAsync(host, stored), await OrderCenterAudit.RunAsync(host, outcomes), await host.SettledChecker().CheckAsync(CancellationToken.None),
            faults.Snapshot());
    }

    /// <summary>Every message in a poison queue, with the state of the order it names.</summary>
    private static async Task<IReadOnlyList<string>> PoisonAsync(BenchmarkHost host, IReadOnlyList<OrderTable.StoredOrder> stored)
    {
        var byId = stored.ToDictionary(s => s.Order.Id);
        var queues = new QueueServiceClient(host.Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poison = new List<string>();
        foreach (var name in StorageNames.Queues.Select(PoisonQueues.NameOf))
        {
            var queue = queues.GetQueueClient(name);
            if (!await queue.ExistsAsync()) continue; // the host creates a poison queue with its first message
            foreach (var message in (await queue.PeekMessagesAsync(32)).Value)
            {
                var orderId = message.Body.ToString();
                poison.Add($"{name}: {orderId}, now {(byId.TryGetValue(orderId, out var order) ? order.Order.Status.ToString() : "not an order of this run")}");
            }
        }
        return poison;
    }

    public static string Report(Result result)
    {
        var c = CultureInfo.InvariantCulture;
        var o = result.Options;
        var text = new StringBuilder();
        text.AppendLine("# Fault suite").AppendLine();
        text.AppendLine(c, $"""
            `dotnet run -c Release --project tools/O2O.Benchmarks -- faults --orders {o.Orders} --concurrency {o.Concurrency} --outage-seconds {o.Outage.TotalSeconds:F0}`,
            run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores.
            """);
        text.AppendLine();
        text.AppendLine(c, $"""
            {o.Orders} lifecycles, {o.Concurrency} at a time, half picked up and half delivered, while:
            Azurite is stopped (SIGINT) once a third of them have started, refusing every request, and
            started again from its disk {o.Outage.TotalSeconds:F0} s later; Meituan answers 503, SF never
            answers and Dada answers after 1.5 s; at one store Dada's rider sends every status twice and out
            of order; each paid order's notification is replayed; a forged payment notification precedes each
            payer; a Dada webhook whose update_time was altered after signing goes out every half second, and
            every 200 ms a Dada push with a correctly computed MD5 and a status the rider has not reached (or
            a cancellation or return) goes out for a live Dada delivery; WeChat answers up to two shipping uploads a
            second with "system busy" and expires its access tokens every ten seconds. Callers retry 5xx and refused
            connections with the same Idempotency-Key for up to {Shop.GiveUpAfter.TotalSeconds:F0} s.
            """);
        text.AppendLine();
        text.AppendLine(c, $"Ran {result.Elapsed.TotalSeconds:F1} s; the app then " +
            $"{(result.Settled ? "settled" : "did NOT settle within 3 minutes")}.").AppendLine();
        text.AppendLine("| outcome | orders |").AppendLine("|---|---:|");
        foreach (var group in result.Outcomes.GroupBy(x => $"{x.Mode}: {x.Result}").OrderBy(g => g.Key))
            text.AppendLine(c, $"| {group.Key} | {group.Count()} |");
        text.AppendLine(c, $"| client retries | {result.Outcomes.Sum(x => x.Retries)} |");
        text.AppendLine();
        text.AppendLine("| fault injected | count |").AppendLine("|---|---:|");
        foreach (var (fault, count) in result.Faults.OrderBy(f => f.Key))
            text.AppendLine(c, $"| {fault} | {count} |");
        text.AppendLine();
        text.AppendLine("## Audit after recovery").AppendLine();
        text.AppendLine(c, $"- orders lost (client was given an id, storage has no order): {result.LostOrders.Count}");
        text.AppendLine(c, $"- orders not picked up or delivered: {result.Unfinished.Count}");
        text.AppendLine(c, $"- stock rows off (onHand ≠ initial − handed over, or reserved ≠ units of open orders): {result.StockLeaks.Count}");
        text.AppendLine(c, $"- outbox events: {result.EventsInOutboxes}; never published: {result.MissingEvents.Count}; " +
            $"published more than once (at-least-once, consumers dedupe): {result.DoubledEvents}");
        text.AppendLine(c, $"- consumer notifications sent twice: {result.DoubledNotifications}");
        text.AppendLine(c, $"- fulfilled orders whose shipping information WeChat lacks: {result.OrderCenter.Missing.Count} of " +
            $"{result.OrderCenter.Fulfilled}; uploaded again with another body: {result.OrderCenter.ChangedBodies.Count}; p99 from the step " +
            $"to WeChat taking it {result.OrderCenter.Percentile(99):F1} s");
        text.AppendLine(c, $"- poison messages: {result.PoisonMessages.Count}{string.Concat(result.PoisonMessages.Select(p => "\n  - " + p))}");
        text.AppendLine(c, $"- consistency checker findings: {result.Findings.Count}");
        text.AppendLine();
        var broken = result.Broken();
        text.AppendLine(broken.Count == 0 ? "Nothing broken." : "Broken:\n" + string.Concat(broken.Select(b => $"- {b}\n")));
        return text.ToString();
    }

    private sealed class FaultCounts
    {
        private readonly Dictionary<string, int> _counts = [];

        public void Add(string fault)
        {
            lock (_counts) _counts[fault] = _counts.GetValueOrDefault(fault) + 1;
        }

        public IReadOnlyDictionary<string, int> Snapshot()
        {
            lock (_counts) return new Dictionary<string, int>(_counts);
        }
    }
}
