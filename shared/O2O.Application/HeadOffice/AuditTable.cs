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

    public Task<IReadOnlyList<EntryRow>> EntriesOfDayAsync(string day, CancellationToken cancellationToken) =>
        _table.ListRangeAsync<EntryRow>(day, EntryPrefix, cancellationToken);

    public async Task<IReadOnlyList<OutboxRow>> UnpublishedAsync(string day, CancellationToken cancellationToken) =>
        (await _table.ListRangeAsync<OutboxRow>(day, EventPrefix, cancellationToken)).Where(e => e.State != OutboxState.Published).ToList();

    public Task MarkPublishedAsync(IReadOnlyList<OutboxRow> events, DateTimeOffset at, CancellationToken cancellationToken) =>
        OutboxRow.MarkPublishedAsync(_table, events, at, cancellationToken);
}

public static class AuditOutcome
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Refused = "refused";
}
