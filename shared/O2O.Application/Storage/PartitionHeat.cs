using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;

namespace O2O.Application.Storage;

/// <summary>
/// Entities each table partition is asked for, per second, and requests per table: what a benchmark
/// holds against Azure's 2,000 entities a second per partition and 20,000 requests a second per
/// account. Read from each request as it is sent (a key in the path, a filter on PartitionKey, an
/// insert's or a batch's body); off unless a benchmark sets <see cref="StorageRequestCounter.Heat"/>,
/// since reading a body costs a copy. A query counts as one entity: what it reads is not known when it is sent.
/// </summary>
public sealed partial class PartitionHeat(TimeProvider clock)
{
    private readonly long _started = clock.GetTimestamp();
    private readonly ConcurrentDictionary<(string Table, string Partition), ConcurrentDictionary<long, long>> _bySecond = new();
    private readonly ConcurrentDictionary<string, long> _requestsByTable = new();

    /// <summary>One partition over the run: entities in all, and in its busiest second.</summary>
    public sealed record Load(string Table, string Partition, long Entities, long PeakPerSecond);

    public IReadOnlyDictionary<string, long> RequestsByTable => new Dictionary<string, long>(_requestsByTable);

    public IReadOnlyList<Load> Loads() =>
        [.. _bySecond.Select(p => new Load(p.Key.Table, p.Key.Partition, p.Value.Values.Sum(), p.Value.Values.DefaultIfEmpty().Max()))];

    public void Record(Request request)
    {
        var segment = Uri.UnescapeDataString(request.Uri.Path[(request.Uri.Path.LastIndexOf('/') + 1)..]);
        if (segment == "$batch")
        {
            var body = BodyOf(request);
            if (BatchTarget().Match(body) is not { Success: true } target) return;
            Add(target.Groups[1].Value, PartitionIn(body), BatchOperation().Count(body));
            return;
        }
        if (EntityPath().Match(segment) is { Success: true } entity)
        {
            Add(entity.Groups[1].Value, entity.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal), 1);
            return;
        }
        if (TableName().Match(segment) is not { Success: true } table || table.Groups[1].Value == "Tables") return;
        var partition = request.Method == RequestMethod.Get
            ? FilterPartition().Match(Uri.UnescapeDataString(request.Uri.Query)) is { Success: true } filter ? filter.Groups[1].Value : "(scan)"
            : PartitionIn(BodyOf(request));
        Add(table.Groups[1].Value, partition, 1);
    }

    private void Add(string table, string partition, int entities)
    {
        _requestsByTable.AddOrUpdate(table, 1, (_, n) => n + 1);
        var second = (long)clock.GetElapsedTime(_started).TotalSeconds;
        _bySecond.GetOrAdd((table, partition), _ => new()).AddOrUpdate(second, entities, (_, n) => n + entities);
    }

    private static string PartitionIn(string body) =>
        BodyPartition().Match(body) is { Success: true } json ? Regex.Unescape(json.Groups[1].Value)
        : KeyPartition().Match(body) is { Success: true } key ? key.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)
        : "(unknown)";

    private static string BodyOf(Request request)
    {
        if (request.Content is null) return "";
        using var copy = new MemoryStream();
        request.Content.WriteTo(copy, CancellationToken.None);
        return Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);
    }

    [GeneratedRegex(@"^(\w+)\(PartitionKey='((?:[^']|'')*)',RowKey='(?:[^']|'')*'\)$")]
    private static partial Regex EntityPath();

    [GeneratedRegex(@"^(\w+)(?:\(\))?$")]
    private static partial Regex TableName();

    [GeneratedRegex(@"PartitionKey eq '((?:[^']|'')*)'")]
    private static partial Regex FilterPartition();

    [GeneratedRegex(@"""PartitionKey""\s*:\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex BodyPartition();

    [GeneratedRegex(@"PartitionKey='((?:[^']|'')*)'")]
    private static partial Regex KeyPartition();

    /// <summary>The table of a batch's first operation, from its request line.</summary>
    [GeneratedRegex(@"^(?:POST|PUT|MERGE|PATCH|DELETE) [^\s?]+/(\w+)[(?\s]", RegexOptions.Multiline)]
    private static partial Regex BatchTarget();

    [GeneratedRegex(@"^(?:POST|PUT|MERGE|PATCH|DELETE) \S+ HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex BatchOperation();
}
