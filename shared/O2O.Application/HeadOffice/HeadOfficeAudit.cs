using System.Text.Json;
using Microsoft.Extensions.Logging;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Common;
using O2O.Domain.HeadOffice;

namespace O2O.Application.HeadOffice;

/// <summary>
/// Every change head office makes goes through here, so none is made unrecorded: the entry (who, what, the state before) is
/// written first, then the change runs, then the entry takes its outcome (the state after, or the refusal) together with the
/// event o2o.headoffice.changed. A change that never answered (a crash) leaves its entry "pending": the page shows it as
/// unconfirmed. An event whose publication failed is sent by the next read of the trail.
/// </summary>
public sealed class HeadOfficeAudit(AuditTable table, DomainEventPublisher publisher, TimeProvider clock, ILogger<HeadOfficeAudit> logger)
{
    public const string ChangedEvent = "o2o.headoffice.changed";

    /// <summary>Kept per value: a table property holds 64 KiB.</summary>
    private const int MaxJsonChars = 30_000;

    /// <param name="action">What was done, a stable name ("store.put", "store.key_issued").</param>
    /// <param name="target">What it was done to, as a path ("stores/S-001").</param>
    /// <param name="before">Reads the state before, null when there is none.</param>
    /// <param name="recorded">What of the result the trail keeps; the result itself by default (a store key's is left out).</param>
    public async Task<Result<T>> ChangeAsync<T>(Staff who, string action, string target, Func<CancellationToken, Task<object?>> before,
        Func<CancellationToken, Task<Result<T>>> change, CancellationToken cancellationToken, Func<T, object?>? recorded = null)
    {
        var at = clock.GetUtcNow();
        var changeId = Guid.NewGuid().ToString("N");
        var entry = new AuditTable.EntryRow
        {
            PartitionKey = AuditTable.DayKey(at), RowKey = AuditTable.EntryKey(at, changeId), ChangeId = changeId, At = at,
            StaffId = who.Id, StaffName = who.Name, Via = who.Via, Action = action, Target = target,
            BeforeJson = Json(await before(cancellationToken)),
        };
        await table.AddAsync(entry, cancellationToken);
        var result = await change(cancellationToken);
        if (!result.IsSuccess)
        {
            entry.Outcome = AuditOutcome.Refused;
            entry.Refusal = result.Error.Code;
            await table.UpdateAsync(entry, cancellationToken);
            return result;
        }
        entry.Outcome = AuditOutcome.Done;
        entry.AfterJson = Json(recorded is null ? result.Value : recorded(result.Value));
        var evt = OutboxRow.Of(entry.PartitionKey, AuditTable.EventPrefix + changeId, changeId, ChangedEvent,
            new HeadOfficeChanged(changeId, action, target, who.Id, who.Name, at), at, subject: "headoffice/" + target);
        await table.CompleteAsync(entry, evt, cancellationToken);
        await PublishAsync(entry.PartitionKey, [evt], cancellationToken);
        return result;
    }

    /// <summary>The trail of the last <paramref name="days"/> UTC days, newest first, optionally of one target only.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int days, string? target, CancellationToken cancellationToken)
    {
        var today = clock.GetUtcNow();
        await PublishPendingAsync(AuditTable.DayKey(today), cancellationToken);
        var dayKeys = Enumerable.Range(0, days).Select(d => AuditTable.DayKey(today.AddDays(-d)));
        var perDay = await Task.WhenAll(dayKeys.Select(day => table.EntriesOfDayAsync(day, target, cancellationToken)));
        return perDay.SelectMany(rows => rows).Select(AuditEntry.From).ToList();
    }

    private async Task PublishPendingAsync(string day, CancellationToken cancellationToken) =>
        await PublishAsync(day, await table.UnpublishedAsync(day, cancellationToken), cancellationToken);

    /// <summary>Publishes events of the trail and marks them; a failure is left for the next read, never thrown at a change that is made.</summary>
    private async Task PublishAsync(string day, IReadOnlyList<OutboxRow> unpublished, CancellationToken cancellationToken)
    {
        try
        {
            if (unpublished.Count == 0) return;
            await publisher.PublishAsync(unpublished, cancellationToken);
            await table.MarkPublishedAsync(unpublished, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Head-office events of {Day} not published yet; the next change or read of the trail sends them", day);
        }
    }

    private static string? Json(object? value)
    {
        if (value is null) return null;
        var json = JsonSerializer.Serialize(value, value.GetType(), StorageJson.Options);
        return json.Length <= MaxJsonChars ? json : JsonSerializer.Serialize(new { truncated = json[..MaxJsonChars] }, StorageJson.Options);
    }
}

/// <summary>The data of o2o.headoffice.changed: who changed what; the before and after are in the trail.</summary>
public sealed record HeadOfficeChanged(string ChangeId, string Action, string Target, string StaffId, string StaffName, DateTimeOffset At);

/// <summary>One change as the trail shows it.</summary>
public sealed record AuditEntry(string ChangeId, DateTimeOffset At, string StaffId, string StaffName, string Via, string Action, string Target,
    string Outcome, string? Refusal, JsonElement? Before, JsonElement? After)
{
    public static AuditEntry From(AuditTable.EntryRow row) => new(row.ChangeId, row.At, row.StaffId, row.StaffName, row.Via, row.Action, row.Target,
        row.Outcome, row.Refusal, Parse(row.BeforeJson), Parse(row.AfterJson));

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
