using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.Storage;

/// <summary>Timers' lists are bucketed by due time: a sweep reads the markers, then only buckets that are due.</summary>
public sealed class DueBucketTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 2, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_sweep_reads_only_buckets_that_are_due_and_forgets_a_past_bucket_once_empty()
    {
        var (due, requests) = await TableAsync();
        await due.MarkAsync("past", Now.AddHours(-3), CancellationToken.None);
        await due.MarkAsync("now", Now.AddSeconds(-30), CancellationToken.None);
        await due.MarkAsync("soon", Now.AddMinutes(1), CancellationToken.None); // the current bucket, not yet due
        await due.MarkAsync("tomorrow", Now.AddDays(1), CancellationToken.None);
        await due.MarkAsync("next-week", Now.AddDays(7), CancellationToken.None);
        requests.Clear();

        var first = await due.DueAsync(Now, CancellationToken.None);
        var read = requests.ToList();
        foreach (var row in first) await due.RescheduleAsync(row, null, CancellationToken.None);
        var second = await due.DueAsync(Now, CancellationToken.None); // finds the past bucket empty: drops its marker
        requests.Clear();
        var third = await due.DueAsync(Now, CancellationToken.None);
        var readAgain = requests.ToList();

        Assert.Equal(["now", "past"], first.Select(r => r.RowKey).Order());
        var future = new[] { Now.AddDays(1), Now.AddDays(7) }.Select(DueOrderTable.BucketOf).ToList();
        Assert.DoesNotContain(read, r => future.Any(f => r.Contains(f, StringComparison.Ordinal))); // neither a marker nor a row of a future bucket is read
        Assert.Contains(read, r => r.Contains(DueOrderTable.BucketOf(Now.AddHours(-3)), StringComparison.Ordinal));
        Assert.Empty(second);
        Assert.Empty(third);
        Assert.DoesNotContain(readAgain, r => r.Contains(DueOrderTable.BucketOf(Now.AddHours(-3)), StringComparison.Ordinal)); // its marker is gone
        Assert.Contains(readAgain, r => r.Contains(DueOrderTable.BucketOf(Now), StringComparison.Ordinal)); // "soon" keeps the current bucket's
        Assert.Equal(["next-week", "soon", "tomorrow"], (await due.ListAsync(CancellationToken.None)).Select(r => r.RowKey).Order());
    }

    [Fact]
    public async Task A_row_moved_to_another_bucket_is_found_there_and_only_there()
    {
        var (due, _) = await TableAsync();
        await due.MarkAsync("w-1", Now.AddMinutes(-1), CancellationToken.None, owner: "agent-1", since: Now.AddHours(-1));

        var row = Assert.Single(await due.DueAsync(Now, CancellationToken.None));
        await due.RescheduleAsync(row, Now.AddMinutes(20), CancellationToken.None);
        var beforeTime = await due.DueAsync(Now.AddMinutes(19), CancellationToken.None);
        var atTime = await due.DueAsync(Now.AddMinutes(20), CancellationToken.None);

        Assert.Empty(beforeTime);
        var moved = Assert.Single(atTime);
        Assert.Equal(("w-1", "agent-1", Now.AddHours(-1)), (moved.RowKey, moved.Owner, moved.Since)); // what the row carries moves with it
        Assert.Single(await due.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_row_dropped_by_its_due_time_is_gone()
    {
        var (due, _) = await TableAsync();
        await due.MarkAsync("o-1", Now.AddMinutes(3), CancellationToken.None);
        await due.MarkAsync("o-2", Now.AddMinutes(3), CancellationToken.None);

        await due.DropAsync("o-1", Now.AddMinutes(3), CancellationToken.None);
        await due.DropAsync("o-1", Now.AddMinutes(3), CancellationToken.None); // twice: a retry

        Assert.Equal(["o-2"], (await due.DueAsync(Now.AddMinutes(3), CancellationToken.None)).Select(r => r.RowKey));
    }

    [Fact]
    public async Task Rows_of_the_one_old_partition_are_moved_into_their_buckets_by_the_first_sweep()
    {
        var (due, _) = await TableAsync();
        var table = ((ProbeDueTable)due).Table;
        await table.AddEntityAsync(new TableEntity("due", "w-old") { ["DueAt"] = Now.AddMinutes(-5), ["Owner"] = "agent-1" });
        await table.AddEntityAsync(new TableEntity("due", "w-later") { ["DueAt"] = Now.AddDays(3) });

        var swept = await due.DueAsync(Now, CancellationToken.None);
        var movedAgain = await due.MoveLegacyRowsAsync(CancellationToken.None);

        var old = Assert.Single(swept);
        Assert.Equal(("w-old", "agent-1"), (old.RowKey, old.Owner));
        Assert.NotEqual("due", old.PartitionKey);
        Assert.Equal(0, movedAgain);
        Assert.Equal(["w-later", "w-old"], (await due.ListAsync(CancellationToken.None)).Select(r => r.RowKey).Order());
        Assert.Empty(await table.QueryAsync<TableEntity>(e => e.PartitionKey == "due").ToListAsync());
    }

    [Fact]
    public async Task An_old_open_refund_is_moved_due_two_minutes_after_its_decision_which_it_keeps()
    {
        var app = await TestApp.Shared;
        var outRefundNo = "RF" + Guid.NewGuid().ToString("N")[..20];
        var refunds = app.Tables.GetTableClient(StorageNames.RefundsTable);
        await refunds.AddEntityAsync(new TableEntity("open", outRefundNo) { ["DecidedAt"] = Now });

        await app.Host.Services.GetRequiredService<O2O.Application.Payments.RefundTable>().MoveLegacyRowsAsync(CancellationToken.None);

        var moved = await app.FindAsync(StorageNames.RefundsTable, outRefundNo);
        Assert.Equal((Now + O2O.Application.Payments.RefundReconciler.Grace, Now), (moved!.DueAt, moved.Since));
        Assert.Equal(DueOrderTable.PartitionOf(DueOrderTable.BucketOf(moved.DueAt), DueOrderTable.ShardOf(outRefundNo)), moved.PartitionKey);
    }

    [Theory]
    [InlineData("2026-03-01T12:04:59Z", "202603011200")]
    [InlineData("2026-03-01T12:05:00Z", "202603011205")]
    [InlineData("2026-03-01T20:05:00+08:00", "202603011205")]
    public void A_bucket_is_the_five_minutes_its_time_falls_in(string at, string bucket) =>
        Assert.Equal(bucket, DueOrderTable.BucketOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    private sealed class ProbeDueTable(TableServiceClient service, string name) : DueOrderTable(service, name)
    {
        public TableClient Table { get; } = service.GetTableClient(name);
    }

    /// <summary>A table of its own, and the decoded URL of every request its client sends.</summary>
    private static async Task<(DueOrderTable Due, ConcurrentQueue<string> Requests)> TableAsync()
    {
        var requests = new ConcurrentQueue<string>();
        var options = new TableClientOptions();
        options.AddPolicy(new RecordingPolicy(requests), HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient((await TestApp.SharedStorage).ConnectionString, options);
        var name = "DueProbe" + Guid.NewGuid().ToString("N")[..12];
        await service.CreateTableIfNotExistsAsync(name);
        return (new ProbeDueTable(service, name), requests);
    }

    private sealed class RecordingPolicy(ConcurrentQueue<string> requests) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => requests.Enqueue(Uri.UnescapeDataString(message.Request.Uri.ToString()));
    }
}
