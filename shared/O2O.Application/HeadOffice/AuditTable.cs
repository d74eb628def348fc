using System.Globalization;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;

namespace O2O.Application.HeadOffice;

/// <summary>
/// Head office's audit trail: a partition per UTC day (changes by people are a few a minute at most), an entry per change, newest
/// first by row key, and the change's event beside it in the same partition (an outbox written with the entry's outcome).
/// </summary>
public sealed class AuditTable(TableServiceClient tables)
{
    public const string EntryPrefix = "entry|";
    public const string EventPrefix = "event|";
    private readonly TableClient _table = tables.GetTableClient(StorageNames.HeadOfficeAuditTable);

    public static string DayKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Newest first within a day: the row key counts down.</summary>
    public static string EntryKey(DateTimeOffset at, string changeId) =>
        $"{EntryPrefix}{(DateTime.MaxValue.Ticks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}|{changeId}";

    public sealed class EntryRow : TableRow
    {
        public string ChangeId { get; set; } = "";
        public DateTimeOffset At { get; set; }
        public string StaffId { get; set; } = "";
        public string StaffName { get; set; } = "";
        public string Via { get; set; } = "";
        public string Action { get; set; } = "";
        public string Target { get; set; } = "";
        public string? BeforeJson { get; set; }
        public string? AfterJson { get; set; }

        /// <summary>"pending" until the change answers (left so when it never did), then "done" or "refused".</summary>
        public string Outcome { get; set; } = AuditOutcome.Pending;

        /// <summary>The problem's code a refused change answered.</summary>
        public string? Refusal { get; set; }
    }

    public async Task AddAsync(EntryRow entry, CancellationToken cancellationToken) =>
        entry.ETag = (await _table.AddEntityAsync(entry, cancellationToken)).Headers.ETag!.Value;

    public Task UpdateAsync(EntryRow entry, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace, cancellationToken);

    /// <summary>The entry's outcome and its event, in one transaction.</summary>
    public Task CompleteAsync(EntryRow entry, OutboxRow evt, CancellationToken cancellationToken) =>
        new PartitionTransaction(entry.PartitionKey)
            .Add(TableTransactionActionType.UpdateReplace, entry)
            .Add(TableTransactionActionType.Add, evt)
            .SubmitAsync(_table, cancellationToken);

    /// <summary>A day's entries, newest first; of one target only when it is given (filtered by the service, not here).</summary>
    public Task<IReadOnlyList<EntryRow>> EntriesOfDayAsync(string day, string? target, CancellationToken cancellationToken) =>
        QueryAsync<EntryRow>(target is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {EntryPrefix} and RowKey lt {End(EntryPrefix)}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {day} and RowKey ge {EntryPrefix} and RowKey lt {End(EntryPrefix)} and Target eq {target}"), cancellationToken);

    /// <summary>The day's events still unpublished: only those come back, however many the day has.</summary>
    public Task<IReadOnlyList<OutboxRow>> UnpublishedAsync(string day, CancellationToken cancellationToken) =>
        QueryAsync<OutboxRow>(TableClient.CreateQueryFilter(
            $"PartitionKey eq {day} and RowKey ge {EventPrefix} and RowKey lt {End(EventPrefix)} and State eq {OutboxState.NotPublished}"), cancellationToken);

    private static string End(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string filter, CancellationToken cancellationToken) where T : class, ITableEntity
    {
        var rows = new List<T>();
        await foreach (var row in _table.QueryAsync<T>(filter, cancellationToken: cancellationToken)) rows.Add(row);
        return rows;
    }

    public Task MarkPublishedAsync(IReadOnlyList<OutboxRow> events, DateTimeOffset at, CancellationToken cancellationToken) =>
        OutboxRow.MarkPublishedAsync(_table, events, at, cancellationToken);
}

public static class AuditOutcome
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Refused = "refused";
}
