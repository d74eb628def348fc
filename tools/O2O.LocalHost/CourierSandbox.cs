using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using O2O.Application.Dispatch;
using O2O.Application.Dispatch.Couriers;
using O2O.Domain.Dispatch;
using O2O.Domain.Stores;

namespace O2O.LocalHost;

/// <summary>What a sandboxed platform does with the next bookings (set per platform).</summary>
public enum CourierBehaviour
{
    /// <summary>Books, then a rider goes through every status to delivered.</summary>
    Normal,

    /// <summary>Answers every request 503.</summary>
    Down,

    /// <summary>Answers nothing for 5 s, beyond the app's 3 s attempt timeout.</summary>
    Hang,

    /// <summary>Answers every request after 1.5 s, within the app's 3 s attempt timeout; otherwise Normal.</summary>
    Slow,

    /// <summary>Books, but no rider ever takes it.</summary>
    NoRider,

    /// <summary>A rider takes it, then the platform cancels it.</summary>
    Cancel,

    /// <summary>Delivery fails after pickup and the goods come back to the store.</summary>
    Return,

    /// <summary>The normal statuses, each twice, in a scrambled order that ends before the last one.</summary>
    Shuffle,

    /// <summary>A rider takes it and delivers, but only the first webhook is sent: the rest is known only to the platform's status query.</summary>
    Silent,
}

/// <summary>
/// Stand-ins for Dada, Meituan delivery and SF same-city under /sandbox/couriers/{platform}: each
/// verifies the app's signed requests in its platform's protocol, quotes (a price, and a time where
/// the platform gives one), books idempotently by our delivery id, and then drives the delivery with signed webhooks to the booking's callback, one
/// step every Sandbox__CourierStepMs (default 2000). POST /sandbox/couriers/{platform}/behaviour
/// {"mode":"Down"} changes what it does next (see <see cref="CourierBehaviour"/>).
/// State is in memory.
/// </summary>
public sealed partial class CourierSandbox(
    IConfiguration configuration,
    IOptions<DadaSettings> dada,
    IOptions<MeituanSettings> meituan,
    IOptions<SfSettings> sf,
    TimeProvider clock,
    ILogger<CourierSandbox> logger)
{
    public const string BasePath = "/sandbox/couriers";

    private static readonly HttpClient Pusher = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ConcurrentDictionary<string, CourierBehaviour> _behaviour = new();
    private readonly ConcurrentDictionary<string, (CourierBehaviour Behaviour, string? Provider)> _storeBehaviour = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentDictionary<string, Booking> _bookings = new();
    private readonly ConcurrentDictionary<string, (System.Text.Json.Nodes.JsonNode Body, DateTimeOffset ValidUntil)> _dadaQuotes = new();
    private readonly ConcurrentQueue<(string Provider, string DeliveryId)> _quotes = new();

    public sealed record Booking(string Provider, string DeliveryId, string CourierOrderId, string StoreId, string Callback)
    {
        public bool Cancelled { get; set; }

        /// <summary>Where the delivery really stands at the platform (what its status query answers), and its rider.</summary>
        public CourierStatus Status { get; set; } = CourierStatus.Waiting;
        public string? RiderName { get; set; }
        public string? RiderPhone { get; set; }

        /// <summary>
        /// What the booking said the rider carries: the goods' value, and the units where the platform is told them (SF). Set before the
        /// booking is listed, so whoever finds it reads them.
        /// </summary>
        public long GoodsValueFen { get; init; }
        public int? Units { get; init; }
    }

    private TimeSpan Step => TimeSpan.FromMilliseconds(configuration.GetValue("Sandbox:CourierStepMs", 2000));

    public static void Map(WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<CourierSandbox>();
        app.MapPost(BasePath + "/dada/api/order/queryDeliverFee", ctx => sandbox.HandleAsync(ctx, CourierProviders.Dada, sandbox.DadaQuoteAsync));
        app.MapPost(BasePath + "/dada/api/order/addAfterQuery", ctx => sandbox.HandleAsync(ctx, CourierProviders.Dada, sandbox.DadaAddAfterQueryAsync));
        app.MapPost(BasePath + "/meituan/api/order/preCreateByShop", ctx => sandbox.HandleAsync(ctx, CourierProviders.Meituan, sandbox.MeituanQuoteAsync));
        app.MapPost(BasePath + "/sf/open/api/external/precreateorder", ctx => sandbox.HandleAsync(ctx, CourierProviders.Sf, sandbox.SfQuoteAsync));
        app.MapPost(BasePath + "/dada/api/order/formalCancel", ctx => sandbox.HandleAsync(ctx, CourierProviders.Dada, sandbox.DadaCancelAsync));
        app.MapPost(BasePath + "/dada/api/order/status/query", ctx => sandbox.HandleAsync(ctx, CourierProviders.Dada, sandbox.DadaQueryAsync));
        app.MapPost(BasePath + "/meituan/api/order/createByShop", ctx => sandbox.HandleAsync(ctx, CourierProviders.Meituan, sandbox.MeituanCreateAsync));
        app.MapPost(BasePath + "/meituan/api/order/delete", ctx => sandbox.HandleAsync(ctx, CourierProviders.Meituan, sandbox.MeituanDeleteAsync));
        app.MapPost(BasePath + "/meituan/api/order/status/query", ctx => sandbox.HandleAsync(ctx, CourierProviders.Meituan, sandbox.MeituanQueryAsync));
        app.MapPost(BasePath + "/sf/open/api/external/createorder", ctx => sandbox.HandleAsync(ctx, CourierProviders.Sf, sandbox.SfCreateAsync));
        app.MapPost(BasePath + "/sf/open/api/external/cancelorder", ctx => sandbox.HandleAsync(ctx, CourierProviders.Sf, sandbox.SfCancelAsync));
        app.MapPost(BasePath + "/sf/open/api/external/getorderstatus", ctx => sandbox.HandleAsync(ctx, CourierProviders.Sf, sandbox.SfQueryAsync));
        app.MapPost(BasePath + "/{provider}/behaviour", async (string provider, HttpContext context) =>
        {
            var mode = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.GetProperty("mode").GetString();
            if (!CourierProviders.All.Contains(provider) || !Enum.TryParse<CourierBehaviour>(mode, out var behaviour)) return Results.BadRequest();
            sandbox.SetBehaviour(provider, behaviour);
            return Results.NoContent();
        });
    }

    public void SetBehaviour(string provider, CourierBehaviour behaviour) => _behaviour[provider] = behaviour;

    /// <summary>How riders treat the next bookings of one store (at one platform, or at all): for tests that share a sandbox.</summary>
    public void SetBehaviourFor(string storeId, CourierBehaviour behaviour, string? provider = null) => _storeBehaviour[storeId] = (behaviour, provider);

    /// <summary>Requests the platform received (booking and cancelling), whatever it answered.</summary>
    public int Requests(string provider) => _requests.GetValueOrDefault(provider);

    public IReadOnlyList<Booking> Bookings(string provider) => _bookings.Values.Where(b => b.Provider == provider).ToList();

    /// <summary>How many quotes the platform gave for a delivery id.</summary>
    public int Quotes(string provider, string deliveryId) => _quotes.Count(q => q.Provider == provider && q.DeliveryId == deliveryId);

    private CourierBehaviour BehaviourOf(string provider) => _behaviour.GetValueOrDefault(provider, CourierBehaviour.Normal);

    private async Task HandleAsync(HttpContext context, string provider, Func<HttpContext, string, Task<object>> handle)
    {
        _requests.AddOrUpdate(provider, 1, (_, n) => n + 1);
        switch (BehaviourOf(provider))
        {
            case CourierBehaviour.Down:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            case CourierBehaviour.Hang:
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
                return;
            case CourierBehaviour.Slow:
                await Task.Delay(TimeSpan.FromSeconds(1.5), context.RequestAborted);
                break;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var answer = await handle(context, await reader.ReadToEndAsync(context.RequestAborted));
        if (answer is IResult result) await result.ExecuteAsync(context);
        else await context.Response.WriteAsJsonAsync(answer, answer.GetType());
    }

    // ---- Bookings and the statuses that follow them.

    private string Callback(string provider) => $"{configuration["Delivery:CallbackBaseUrl"]?.TrimEnd('/')}/{provider}/webhook";

    /// <summary>The booking of a delivery id; only the first request starts a rider (a repeat is the same booking).</summary>
    private Booking Book(string provider, string deliveryId, string courierOrderId, string storeId, string callback, long goodsValueFen,
        int? units = null)
    {
        var created = false;
        var booking = _bookings.GetOrAdd(deliveryId, _ =>
        {
            created = true;
            return new Booking(provider, deliveryId, courierOrderId, storeId, callback) { GoodsValueFen = goodsValueFen, Units = units };
        });
        var behaviour = _storeBehaviour.TryGetValue(storeId, out var forStore) && (forStore.Provider ?? provider) == provider
            ? forStore.Behaviour
            : BehaviourOf(provider);
        if (created) _ = DriveAsync(booking, behaviour);
        return booking;
    }

    private void CancelBooking(string deliveryId)
    {
        if (_bookings.TryGetValue(deliveryId, out var booking)) booking.Cancelled = true;
    }

    private async Task DriveAsync(Booking booking, CourierBehaviour behaviour)
    {
        CourierStatus[] steps = behaviour switch
        {
            CourierBehaviour.NoRider => [],
            CourierBehaviour.Cancel => [CourierStatus.Assigned, CourierStatus.Cancelled],
            CourierBehaviour.Return => [CourierStatus.Assigned, CourierStatus.InTransit, CourierStatus.Returning, CourierStatus.Returned],
            CourierBehaviour.Shuffle =>
            [
                CourierStatus.AtStore, CourierStatus.Assigned, CourierStatus.Delivered, CourierStatus.InTransit, CourierStatus.Assigned,
                CourierStatus.Delivered, CourierStatus.AtStore, CourierStatus.InTransit,
            ],
            _ => [CourierStatus.Assigned, CourierStatus.AtStore, CourierStatus.InTransit, CourierStatus.Delivered],
        };
        foreach (var (status, i) in steps.Select((s, i) => (s, i)))
        {
            await Task.Delay(Step);
            if (booking.Cancelled) return;
            Advance(booking, status, "王师傅", "13912345678");
            if (behaviour != CourierBehaviour.Silent || i == 0) await PushWithRetriesAsync(booking, status);
        }
    }

    /// <summary>Like the platforms, a webhook the app did not take (5xx, no answer) is sent again, after 1, 2, 4, 8 and 16 s.</summary>
    private async Task PushWithRetriesAsync(Booking booking, CourierStatus status)
    {
        for (var attempt = 0; attempt < 6; attempt++)
        {
            if (attempt > 0) await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)));
            try
            {
                if (await PushAsync(booking, status) < 500) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                LogPushFailed(logger, e, booking.Provider, booking.DeliveryId);
            }
        }
    }

    /// <summary>
    /// The delivery moves at the platform. Pushes may come twice and out of order, but the
    /// platform's own state only moves forward (or to a cancellation or a return).
    /// </summary>
    private static void Advance(Booking booking, CourierStatus status, string riderName, string riderPhone)
    {
        lock (booking)
        {
            if (status > booking.Status || status >= CourierStatus.Cancelled) booking.Status = status;
            booking.RiderName = riderName;
            booking.RiderPhone = riderPhone;
        }
    }

    /// <summary>
    /// The booking's delivery moves to <paramref name="status"/> at its platform (for a booking the
    /// sandbox holds), and the platform posts a signed webhook of it; answers the app's HTTP status.
    /// </summary>
    public async Task<int> PushAsync(Booking booking, CourierStatus status, string riderName = "王师傅", string riderPhone = "13912345678")
    {
        if (_bookings.TryGetValue(booking.DeliveryId, out var held) && held.Provider == booking.Provider) Advance(held, status, riderName, riderPhone);
        var (body, query, contentType) = Webhook(booking, status, riderName, riderPhone);
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await Pusher.PostAsync(new Uri(booking.Callback + query), content);
        return (int)response.StatusCode;
    }

    /// <summary>A webhook of <paramref name="booking"/> in its platform's format and signature: body, query string and content type.</summary>
    public (string Body, string Query, string ContentType) Webhook(Booking booking,
        CourierStatus status, string riderName = "王师傅", string riderPhone = "13912345678")
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        switch (booking.Provider)
        {
            case CourierProviders.Dada:
                var code = DadaCode(status);
                // Each step its own second: Dada's update_time is part of what it signs.
                var updateTime = (clock.GetUtcNow().ToUnixTimeSeconds() + (int)status).ToString(CultureInfo.InvariantCulture);
                return (JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["client_id"] = booking.CourierOrderId, ["order_id"] = booking.DeliveryId, ["order_status"] = code, ["repeat_reason_type"] = 0,
                    ["cancel_reason"] = status == CourierStatus.Cancelled ? "骑士取消" : "", ["cancel_from"] = status == CourierStatus.Cancelled ? 1 : 0,
                    ["update_time"] = long.Parse(updateTime, CultureInfo.InvariantCulture),
                    ["signature"] = CourierSignatures.DadaWebhook(booking.CourierOrderId, booking.DeliveryId, updateTime),
                    ["dm_id"] = 1001, ["dm_name"] = riderName, ["dm_mobile"] = riderPhone,
                }), "", "application/json");
            case CourierProviders.Meituan:
                var form = new Dictionary<string, string?>
                {
                    ["delivery_id"] = MeituanPlatform.NumericId(booking.DeliveryId), ["mt_peisong_id"] = booking.CourierOrderId,
                    ["order_id"] = booking.DeliveryId,
                    ["status"] = MeituanCode(status),
                    ["courier_name"] = riderName, ["courier_phone"] = riderPhone,
                    ["cancel_reason_id"] = status == CourierStatus.Cancelled ? "202" : null,
                    ["cancel_reason"] = status == CourierStatus.Cancelled ? "骑手取消" : null,
                    ["appkey"] = meituan.Value.AppKey, ["timestamp"] = now,
                };
                form["sign"] = CourierSignatures.Meituan(meituan.Value.Secret, form);
                return (string.Join('&', form.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}")),
                    "", "application/x-www-form-urlencoded");
            default:
                var (urlIndex, orderStatus) = SfCode(status);
                var json = JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["sf_order_id"] = booking.CourierOrderId, ["shop_order_id"] = booking.DeliveryId, ["shop_id"] = booking.StoreId, ["url_index"] = urlIndex,
                    ["operator_name"] = riderName, ["operator_phone"] = riderPhone, ["rider_lng"] = "121.4737", ["rider_lat"] = "31.2304",
                    ["order_status"] = orderStatus, ["status_desc"] = status.ToString(), ["push_time"] = long.Parse(now, CultureInfo.InvariantCulture),
                });
                return (json, "?sign=" + Uri.EscapeDataString(CourierSignatures.Sf(json, sf.Value.DevId, sf.Value.DevKey)), "application/json");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Provider} sandbox could not push a status of {DeliveryId}")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string provider, string deliveryId);
}
