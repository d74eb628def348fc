using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.Notifications;

/// <summary>A domain event as Event Grid delivered it (CloudEvents 1.0), with the trace context of the step that raised it.</summary>
public sealed record DeliveredEvent(string Id, string Type, string? Subject, JsonElement Data, string? TraceParent = null, string? TraceState = null);

public enum NotificationOutcome
{
    /// <summary>Not an event consumers hear about, or about an order that has moved on.</summary>
    Ignored,
    Sent,

    /// <summary>The consumer has not subscribed to the template (WeChat 43101): nothing to do.</summary>
    NotSubscribed,

    /// <summary>This event id was handled before: Event Grid delivers at least once.</summary>
    Duplicate,
}

/// <summary>
/// Turns order events into WeChat subscribe messages to the consumer: ready for pickup (with the
/// code), out for delivery, delivered, cancelled, refunded, and an after-sales case approved,
/// turned down or refunded. Each event id is handled once, also
/// when Event Grid delivers it twice at the same moment: a marker row (OrderTable's NotificationMarkers
/// part) is claimed before the message goes and records how it went; a claim
/// whose sender died is taken over after <see cref="ClaimTimeout"/>, a failed send gives it back.
/// </summary>
public sealed partial class ConsumerNotifications(
    OrderTable orders,
    WeChatMessageClient weChat,
    IOptions<NotificationSettings> settings,
    TimeProvider clock,
    ILogger<ConsumerNotifications> logger)
{
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The events consumers hear about: the Event Grid subscription (infra/subscription.bicep) delivers only these.</summary>
    public static readonly IReadOnlyList<string> EventTypes =
    [
        OrderEventTypes.ReadyForPickup, OrderEventTypes.Dispatched, OrderEventTypes.Delivered, OrderEventTypes.Cancelled, OrderEventTypes.RefundSucceeded,
        OrderEventTypes.AfterSalesApproved, OrderEventTypes.AfterSalesRejected, OrderEventTypes.AfterSalesRefunded,
    ];

    public async Task<NotificationOutcome> HandleAsync(DeliveredEvent evt, CancellationToken cancellationToken)
    {
        using var span = O2OTelemetry.Continue($"notify {evt.Type}", ActivityKind.Consumer, evt.TraceParent, evt.TraceState);
        var orderId = evt.Subject is { } subject && subject.StartsWith("orders/", StringComparison.Ordinal) ? subject["orders/".Length..] : null;
        var consumerKey = orderId is null ? null : OrderIds.ConsumerKeyOf(orderId);
        if (consumerKey is null || !Notified(evt)) return NotificationOutcome.Ignored;
        var order = (await orders.GetAsync(consumerKey, orderId!, cancellationToken))?.Order;
        var detail = order is null ? null : Detail(evt, order);
        // The payer's openid, recorded with the prepay: an order never paid has nothing to tell.
        if (detail is null || order!.Prepay?.PayerOpenId is not { } openId) return NotificationOutcome.Ignored;
        if (await orders.ClaimNotificationAsync(consumerKey, evt.Id, clock.GetUtcNow(), ClaimTimeout, cancellationToken) is not { } claim)
            return NotificationOutcome.Duplicate;

        bool sent;
        try
        {
            var s = settings.Value;
            sent = await weChat.SendAsync(openId, s.TemplateId, $"{s.OrderPage}?orderId={order.Id}", new Dictionary<string, string>
            {
                ["character_string1"] = order.Id,
                ["phrase2"] = detail.Value.Status,
                ["thing3"] = detail.Value.Next,
            }, cancellationToken);
        }
        catch
        {
            await orders.ReleaseNotificationAsync(claim); // Event Grid's retry may claim it again
            throw;
        }
        await orders.FinishNotificationAsync(claim, sent ? nameof(NotificationOutcome.Sent) : nameof(NotificationOutcome.NotSubscribed), cancellationToken);
        if (!sent) LogNotSubscribed(logger, order.Id, evt.Type);
        return sent ? NotificationOutcome.Sent : NotificationOutcome.NotSubscribed;
    }

    private static bool Notified(DeliveredEvent evt) => evt.Type switch
    {
        // The first dispatch only: a platform that gave up and the next one are not news to the consumer.
        OrderEventTypes.Dispatched => evt.Data.ValueKind != JsonValueKind.Object
                                      || !evt.Data.TryGetProperty("reason", out var reason) || reason.ValueKind == JsonValueKind.Null,
        _ => EventTypes.Contains(evt.Type),
    };

    /// <summary>The message's status phrase (at most 5 characters) and next step (at most 20), or null when the order moved on.</summary>
    private static (string Status, string Next)? Detail(DeliveredEvent evt, Order order) => evt.Type switch
    {
        OrderEventTypes.ReadyForPickup when order is { Status: OrderStatus.ReadyForPickup, Pickup: { } pickup } => ("待取货", $"到店出示取货码 {pickup.Code}"),
        OrderEventTypes.ReadyForPickup => null,
        OrderEventTypes.Dispatched => ("配送中", "正在为您安排骑手"),
        OrderEventTypes.Delivered => ("已送达", "订单已送达，请查收"),
        OrderEventTypes.Cancelled => ("已取消", Shorten(order.CancelReason ?? "订单已取消")),
        OrderEventTypes.AfterSalesApproved => ("售后已通过", Text(evt, "type") == "return" ? "请将商品退回门店" : "退款处理中，将原路退回"),
        OrderEventTypes.AfterSalesRejected => ("售后被拒绝", Shorten(Text(evt, "reason") ?? "详情请联系门店")),
        OrderEventTypes.AfterSalesRefunded => ("已退款", string.Create(CultureInfo.InvariantCulture, $"售后退款 {Amount(evt) / 100m:0.00} 元已原路退回")),
        _ => ("已退款", string.Create(CultureInfo.InvariantCulture, $"退款 {(order.Refund?.AmountFen ?? 0) / 100m:0.00} 元已原路退回")),
    };

    private static string? Text(DeliveredEvent evt, string property) =>
        evt.Data.ValueKind == JsonValueKind.Object && evt.Data.TryGetProperty(property,
            out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Amount(DeliveredEvent evt) =>
        evt.Data.ValueKind == JsonValueKind.Object && evt.Data.TryGetProperty("amountFen", out var value) && value.TryGetInt64(out var fen) ? fen : 0;

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..19] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "The consumer of order {OrderId} has not subscribed to {EventType} messages")]
    private static partial void LogNotSubscribed(ILogger logger, string orderId, string eventType);
}
