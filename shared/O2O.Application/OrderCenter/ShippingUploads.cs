using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using O2O.Application.Orders;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Application.Telemetry;
using O2O.Domain.Orders;

namespace O2O.Application.OrderCenter;

/// <summary>Fulfilled orders whose shipping information WeChat has not confirmed yet, for the shipping reconciler.</summary>
public sealed class ShippingDueTable(TableServiceClient service) : DueOrderTable(service, StorageNames.ShippingDueTable);

/// <summary>
/// Follows order events for WeChat's order center: an order that is fulfilled (<see cref="ShippingInfo.Of"/>:
/// handed over at the counter; a rider took a delivery) and not yet uploaded is listed in ShippingDue
/// and the UploadShipping queue function asked for an upload, before the relay marks the events
/// published, so a crash anywhere leaves one or the other.
/// </summary>
public sealed class ShippingUploadQueue(ShippingDueTable due, QueueServiceClient queues, IOptions<OrderCenterSettings> settings)
    : IOrderEventFollower
{
    public async Task BeforeMarkedAsync(Order order, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken)
    {
        if (order.OrderCenter?.UploadedAt is not null || ShippingInfo.Of(order) is null) return;
        await due.MarkAsync(order.Id, ShippingUploads.DueAt(order, settings.Value), cancellationToken);
        await RequestAsync(order.Id, cancellationToken);
    }

    public Task RequestAsync(string orderId, CancellationToken cancellationToken) =>
        queues.GetQueueClient(StorageNames.ShippingUploadsQueue).SendMessageAsync(TracedMessage.Of(orderId), cancellationToken);
}

/// <summary>
/// Tells WeChat's order center how each paid order was fulfilled, exactly once in effect, once
/// <see cref="ShippingUploadQueue"/> asked for it. An upload sends the body <see cref="ShippingInfo"/>
/// derives from the order, the same on every try; WeChat's "already shipped" is checked with
/// get_order and then counts as done. The reconciler asks WeChat about every listed order whose
/// step is <see cref="OrderCenterSettings.ReconcileAfterMinutes"/> old and uploads what WeChat does
/// not have. An order never fulfilled uploads nothing.
/// </summary>
public sealed partial class ShippingUploads(
    OrderTable orders, OrderChanges changes, ShippingDueTable due, WeChatShippingClient weChat,
    IOptions<OrderCenterSettings> settings, TimeProvider clock, ILogger<ShippingUploads> logger)
{
    private TimeSpan ReconcileAfter => TimeSpan.FromMinutes(settings.Value.ReconcileAfterMinutes);

    /// <summary>When the reconciler looks at a fulfilled order first: a time the order itself gives, so an upload can drop the row it finds.</summary>
    public static DateTimeOffset DueAt(Order order, OrderCenterSettings settings) =>
        (ShippingInfo.Of(order)?.FulfilledAt ?? order.CreatedAt) + TimeSpan.FromMinutes(settings.ReconcileAfterMinutes);

    /// <summary>The queue function: uploads the order's shipping information unless WeChat has it. WeChat busy throws: the host retries.</summary>
    public async Task<bool> UploadAsync(string orderId, CancellationToken cancellationToken)
    {
        var (done, order) = await SettleAsync(orderId, askFirst: false, cancellationToken);
        if (done && order is not null) await due.DropAsync(orderId, DueAt(order, settings.Value), cancellationToken);
        return done;
    }

    /// <summary>
    /// The reconciler: every listed order past its time is looked up in WeChat and uploaded if WeChat
    /// lacks it; answers how many were settled.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var row in await due.DueAsync(clock.GetUtcNow(), cancellationToken))
        {
            try
            {
                var (done, _) = await SettleAsync(row.RowKey, askFirst: true, cancellationToken);
                await due.RescheduleAsync(row, done ? null : clock.GetUtcNow() + ReconcileAfter, cancellationToken);
                if (done) settled++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, row.RowKey); // the next run tries again
            }
        }
        return settled;
    }

    /// <summary>True once WeChat holds the order's shipping information (recorded on the order), or when the order has none to give.</summary>
    private async Task<(bool Done, Order? Order)> SettleAsync(string orderId, bool askFirst, CancellationToken cancellationToken)
    {
        var stored = await orders.FindAsync(orderId, cancellationToken);
        if (stored?.Order is not { } order || order.OrderCenter?.UploadedAt is not null || ShippingInfo.Of(order) is not { } info) return (true, stored?.Order);
        var held = askFirst && WeChatShippingClient.Holds(await weChat.OrderStateAsync(orderId, cancellationToken));
        if (!held)
        {
            switch (await weChat.UploadAsync(order, info, cancellationToken))
            {
                case UploadAnswer.Busy:
                    throw new Platform.WeChatApiException($"upload_shipping_info of {orderId}: WeChat is busy");
                case UploadAnswer.AlreadyShipped or UploadAnswer.Refused
                    when !WeChatShippingClient.Holds(await weChat.OrderStateAsync(orderId, cancellationToken)):
                    LogRefused(logger, orderId);
                    return (false, order);
            }
        }
        var recorded = await changes.ApplyAsync<Order>(stored, o => // the order just read: its first try reads nothing again
        {
            o.RecordShippingUploaded(info.LogisticsType, clock.GetUtcNow());
            return o;
        }, cancellationToken);
        return (recorded.IsSuccess, order);
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "WeChat refused the shipping information of order {OrderId} and does not hold any: the reconciler tries again")]
    private static partial void LogRefused(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not settle the shipping information of order {OrderId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string orderId);
}
