using System.Text.Json;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.AfterSales;
using O2O.Domain.Agents;
using O2O.Domain.Dispatch;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>The rows of an order in its consumer's partition, as stored: the order, its index entry, its timeline and its outbox.</summary>
public sealed partial class OrderTable
{
    /// <summary>An order as read, with the row it came from (its ETag and keys) and its outbox.</summary>
    public sealed record StoredOrder(Order Order, OrderEntity Row, IReadOnlyList<OutboxRow> Outbox)
    {
        public string RequestHash => Row.RequestHash;
    }

    public sealed class OrderEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string Status { get; set; } = "";
        public string StoreId { get; set; } = "";
        public string ItemsJson { get; set; } = "";
        public string FulfillmentJson { get; set; } = "";
        public long TotalFen { get; set; }
        public long DeliveryFeeFen { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset PayBy { get; set; }
        public string? AgentCode { get; set; }
        public string? Note { get; set; }
        public string RequestHash { get; set; } = "";
        public string IndexRowKey { get; set; } = "";
        public string Mode { get; set; } = "";
        public string? CancelReason { get; set; }
        public string? TransactionId { get; set; }
        public long? PaidFen { get; set; }
        public DateTimeOffset? PaidAt { get; set; }
        public string? PrepayId { get; set; }
        public DateTimeOffset? PrepayAt { get; set; }
        public string? PayerOpenId { get; set; }
        public string? OutRefundNo { get; set; }
        public long? RefundFen { get; set; }
        public string? RefundStatus { get; set; }
        public string? RefundId { get; set; }
        public string? RejectedTransactionId { get; set; }
        public string? PickupCode { get; set; }
        public DateTimeOffset? PickupExpiresAt { get; set; }

        /// <summary>Ids of the stores that rejected the order, comma-separated (store ids have no commas).</summary>
        public string? RejectedBy { get; set; }

        /// <summary>The courier booking (<see cref="DeliveryRecord"/>) as JSON.</summary>
        public string? DeliveryJson { get; set; }

        /// <summary>Who earns commission on the order, with each line's rates (<see cref="Domain.Agents.Attribution"/>), as JSON.</summary>
        public string? AttributionJson { get; set; }

        /// <summary>What WeChat's order center holds of the order (<see cref="OrderCenterRecord"/>) as JSON.</summary>
        public string? OrderCenterJson { get; set; }

        /// <summary>When the buyer was told to expect it (<see cref="OrderPromise"/>) as JSON.</summary>
        public string? PromiseJson { get; set; }

        /// <summary>What happened to the promise (<see cref="PromiseWatch"/>) as JSON; none until something did.</summary>
        public string? PromiseWatchJson { get; set; }

        /// <summary>A delivery's courier quote at checkout (<see cref="CourierQuote"/>) as JSON.</summary>
        public string? QuoteJson { get; set; }

        public static OrderEntity From(Order order, string requestHash, string indexRowKey) => new()
        {
            PartitionKey = order.ConsumerKey, RowKey = OrderRowKey(order.Id), OrderId = order.Id, Status = order.Status.ToString(),
            StoreId = order.StoreId, ItemsJson = JsonSerializer.Serialize(order.Lines, StorageJson.Options),
            FulfillmentJson = JsonSerializer.Serialize(FulfillmentDocument.From(order.Fulfillment), StorageJson.Options),
            TotalFen = order.TotalFen, DeliveryFeeFen = order.DeliveryFeeFen, CreatedAt = order.CreatedAt,
            PayBy = order.PayBy, AgentCode = order.AgentCode, Note = order.Note,
            RequestHash = requestHash, IndexRowKey = indexRowKey, Mode = order.Mode.ToString(), CancelReason = order.CancelReason,
            TransactionId = order.Payment?.TransactionId, PaidFen = order.Payment?.AmountFen, PaidAt = order.Payment?.PaidAt,
            PrepayId = order.Prepay?.PrepayId, PrepayAt = order.Prepay?.CreatedAt, PayerOpenId = order.Prepay?.PayerOpenId,
            OutRefundNo = order.Refund?.OutRefundNo, RefundFen = order.Refund?.AmountFen, RefundStatus = order.Refund?.Status.ToString(),
            RefundId = order.Refund?.RefundId, RejectedTransactionId = order.RejectedTransactionId,
            PickupCode = order.Pickup?.Code, PickupExpiresAt = order.Pickup?.ExpiresAt,
            RejectedBy = order.RejectedBy.Count == 0 ? null : string.Join(',', order.RejectedBy),
            DeliveryJson = order.Delivery is null ? null : JsonSerializer.Serialize(order.Delivery, StorageJson.Options),
            AttributionJson = order.Attribution is null ? null : JsonSerializer.Serialize(order.Attribution, StorageJson.Options),
            OrderCenterJson = order.OrderCenter is null ? null : JsonSerializer.Serialize(order.OrderCenter, StorageJson.Options),
            PromiseJson = order.Promise is null ? null : JsonSerializer.Serialize(order.Promise, StorageJson.Options),
            PromiseWatchJson = order.Watch == PromiseWatch.None ? null : JsonSerializer.Serialize(order.Watch, StorageJson.Options),
            QuoteJson = order.Quote is null ? null : JsonSerializer.Serialize(order.Quote, StorageJson.Options),
        };


        public Order ToOrder(IEnumerable<TimelineEntry> timeline, int eventsSoFar, IReadOnlyList<AfterSalesCase> cases) => Order.Restore(new OrderSnapshot(
            OrderId, PartitionKey, JsonSerializer.Deserialize<List<OrderLine>>(ItemsJson, StorageJson.Options)!,
            JsonSerializer.Deserialize<FulfillmentDocument>(FulfillmentJson, StorageJson.Options)!.ToFulfillment(), StoreId,
            CreatedAt, PayBy, Enum.Parse<OrderStatus>(Status))
        {
            Timeline = [.. timeline],
            EventsSoFar = eventsSoFar,
            AgentCode = AgentCode,
            Note = Note,
            CancelReason = CancelReason,
            DeliveryFeeFen = DeliveryFeeFen,
            Prepay = PrepayId is null ? null : new PrepayRecord(PrepayId, PrepayAt ?? default, PayerOpenId),
            Payment = TransactionId is null ? null : new PaymentRecord(TransactionId, PaidFen ?? 0, PaidAt ?? default),
            RejectedTransactionId = RejectedTransactionId,
            Refund = OutRefundNo is null ? null : new RefundRecord(OutRefundNo, RefundFen ?? 0, Enum.Parse<RefundStatus>(RefundStatus!), RefundId),
            Pickup = PickupCode is null ? null : new PickupRecord(PickupCode, PickupExpiresAt ?? default),
            Delivery = DeliveryJson is null ? null : JsonSerializer.Deserialize<DeliveryRecord>(DeliveryJson, StorageJson.Options),
            RejectedBy = RejectedBy?.Split(',') ?? [],
            AfterSales = cases,
            Attribution = AttributionJson is null ? null : JsonSerializer.Deserialize<Attribution>(AttributionJson, StorageJson.Options),
            OrderCenter = OrderCenterJson is null ? null : JsonSerializer.Deserialize<OrderCenterRecord>(OrderCenterJson, StorageJson.Options),
            Promise = PromiseJson is null ? null : JsonSerializer.Deserialize<OrderPromise>(PromiseJson, StorageJson.Options),
            Watch = PromiseWatchJson is null ? null : JsonSerializer.Deserialize<PromiseWatch>(PromiseWatchJson, StorageJson.Options),
            Quote = QuoteJson is null ? null : JsonSerializer.Deserialize<CourierQuote>(QuoteJson, StorageJson.Options),
        });
    }

    /// <summary>The consumer's list entry for an order; written and updated with the order row.</summary>
    public sealed class OrderIndexEntity : TableRow
    {
        public string OrderId { get; set; } = "";
        public string Status { get; set; } = "";
        public string Mode { get; set; } = "";
        public string StoreId { get; set; } = "";
        public long TotalFen { get; set; }
        public DateTimeOffset CreatedAt { get; set; }

        public static OrderIndexEntity From(OrderEntity order) => new()
        {
            PartitionKey = order.PartitionKey, RowKey = order.IndexRowKey, OrderId = order.OrderId, Status = order.Status,
            Mode = order.Mode, StoreId = order.StoreId, TotalFen = order.TotalFen, CreatedAt = order.CreatedAt,
        };
    }

    private static class TimelineEntity
    {
        public static TableEntity From(Order order, TimelineEntry entry) => new(order.ConsumerKey, TimelineRowKey(order.Id, entry.Sequence))
        {
            ["Sequence"] = entry.Sequence, ["At"] = entry.At, ["Status"] = entry.Status.ToString(), ["By"] = entry.By, ["Note"] = entry.Note,
        };

        public static TimelineEntry ToEntry(TableEntity row) => new(
            row.GetInt32("Sequence") ?? 0, row.GetDateTimeOffset("At") ?? default, Enum.Parse<OrderStatus>(row.GetString("Status")), row.GetString("By"),
            row.GetString("Note"));
    }

    /// <summary>The outbox row of one of the order's events, in the order's partition.</summary>
    public static OutboxRow OutboxRowOf(string consumerKey, OrderEvent evt) =>
        OutboxRow.Of(consumerKey, OutboxRowKey(evt.OrderId, evt.Sequence), evt.EventId, evt.Type, evt.Data, evt.OccurredAt, evt.OrderId);
}
