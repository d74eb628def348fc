using System.Globalization;
using System.Text;

namespace O2O.Benchmarks;

/// <summary>
/// Azure pay-as-you-go list prices in USD, the ones the cost per order is computed with, written
/// into every report. Free monthly grants are left out: at a million orders they are noise.
/// </summary>
public static class ListPrices
{
    /// <summary>Flex Consumption, on demand: per GB-second of instance memory while it executes.</summary>
    public const decimal FunctionsPerGbSecond = 0.000026m;

    /// <summary>Flex Consumption, on demand: per execution.</summary>
    public const decimal FunctionsPerExecution = 0.40m / 1_000_000;

    /// <summary>The instance size main.bicep deploys (instanceMemoryMB = 2048).</summary>
    public const decimal InstanceMemoryGb = 2;

    /// <summary>Table Storage, Standard LRS: per transaction (an entity group transaction is one request).</summary>
    public const decimal TablePerTransaction = 0.00036m / 10_000;

    /// <summary>Queue Storage v2, LRS: per operation, class 1 and class 2 alike at this price.</summary>
    public const decimal QueuePerOperation = 0.004m / 10_000;

    /// <summary>Event Grid basic tier: per operation (an event published, a delivery attempt).</summary>
    public const decimal EventGridPerOperation = 0.60m / 1_000_000;

    public static string Markdown() => new StringBuilder()
        .AppendLine("| meter | list price (USD) |")
        .AppendLine("|---|---|")
        .AppendLine(CultureInfo.InvariantCulture,
            $"| Functions Flex Consumption, on-demand execution time | {FunctionsPerGbSecond} per GB-s, instance memory {InstanceMemoryGb} GB |")
        .AppendLine("| Functions Flex Consumption, executions | 0.40 per million |")
        .AppendLine("| Table Storage, Standard LRS, transactions | 0.00036 per 10,000 |")
        .AppendLine("| Queue Storage v2, LRS, class 1 and class 2 operations | 0.004 per 10,000 |")
        .AppendLine("| Event Grid basic, operations (publish, delivery attempt) | 0.60 per million |")
        .ToString();
}

/// <summary>The bill for a number of orders, from what a run measured for them.</summary>
public sealed record OrderCost(decimal ExecutionTime, decimal ExecutionTimeUnshared, decimal Executions, decimal Tables, decimal Queues, decimal EventGrid)
{
    public decimal Total => ExecutionTime + Executions + Tables + Queues + EventGrid;

    public static OrderCost PerMillionOrders(Meters run, int orders)
    {
        var scale = 1_000_000m / orders;
        return new OrderCost(
            ExecutionTime: (decimal)run.HostBusy.TotalSeconds * ListPrices.InstanceMemoryGb * ListPrices.FunctionsPerGbSecond * scale,
            ExecutionTimeUnshared: (decimal)run.ExecutionTime.TotalSeconds * ListPrices.InstanceMemoryGb * ListPrices.FunctionsPerGbSecond * scale,
            Executions: run.ExecutionCount * ListPrices.FunctionsPerExecution * scale,
            Tables: run.TableRequests * ListPrices.TablePerTransaction * scale,
            Queues: run.QueueRequests * ListPrices.QueuePerOperation * scale,
            EventGrid: (run.EventsPublished + run.EventDeliveries) * ListPrices.EventGridPerOperation * scale);
    }
}
