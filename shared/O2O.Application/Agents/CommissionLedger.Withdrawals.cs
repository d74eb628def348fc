using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

/// <summary>Withdrawals in the agent's ledger: the amount reserved from the balance, WeChat Pay's answer recorded, and their events.</summary>
public sealed partial class CommissionLedger
{
    /// <summary>
    /// Reserves <paramref name="amountFen"/> of the available balance for a withdrawal: the
    /// withdrawal's row and the balance in one transaction, so two withdrawals at once can never
    /// both spend the same fen. Null when it does not fit (the balance may even be below zero); the
    /// withdrawal already there, and not new, when this is a retry of the request that made it.
    /// </summary>
    public async Task<(Withdrawal? Withdrawal, bool New)> ReserveAsync(Withdrawal withdrawal, CancellationToken cancellationToken)
    {
        var reserved = await ReserveOnceAsync(withdrawal, cancellationToken);
        if (reserved.Withdrawal is { } written) await PublishAsync(written.AgentId, written.Id, cancellationToken);
        return reserved;
    }

    private async Task<(Withdrawal? Withdrawal, bool New)> ReserveOnceAsync(Withdrawal withdrawal, CancellationToken cancellationToken) =>
        await concurrency.RunAsync<(Withdrawal?, bool)>(async ct =>
        {
            var partition = Partition(withdrawal.AgentId);
            if (await FindWithdrawalAsync(withdrawal.AgentId, withdrawal.Id, ct) is { } existing) return (existing, false); // a retry of this request
            var balanceRow = await _table.FindAsync<TableEntity>(partition, BalanceRow, ct);
            var balance = Read(balanceRow);
            if (balance.WithdrawableFen < withdrawal.AmountFen) return (null, false);
            var transaction = new PartitionTransaction(partition)
                .Add(TableTransactionActionType.Add, WithdrawalRow(partition, withdrawal))
                .Add(TableTransactionActionType.Add, WithdrawalEvent(partition, withdrawal, "requested"))
                .Add(balanceRow is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace,
                    Write(partition, balance with { WithdrawnFen = balance.WithdrawnFen + withdrawal.AmountFen }, balanceRow));
            await transaction.SubmitAsync(_table, ct); // 409: this withdrawal meanwhile; 412: the balance moved: read again
            return (withdrawal, true);
        }, cancellationToken);

    public async Task<Withdrawal?> FindWithdrawalAsync(string agentId, string withdrawalId, CancellationToken cancellationToken) =>
        await _table.FindAsync<TableEntity>(Partition(agentId), WithdrawalPrefix + withdrawalId, cancellationToken) is { } row ? ReadWithdrawal(agentId, row) : null;

    /// <summary>
    /// Records what WeChat Pay says of a withdrawal's transfer. A failed or cancelled one gives its
    /// amount back to the balance, in the same transaction; a final state never changes again.
    /// </summary>
    public async Task<Withdrawal?> RecordTransferAsync(string agentId, string withdrawalId, WithdrawalState state, string? transferBillNo, string? packageInfo,
        CancellationToken cancellationToken)
    {
        var recorded = await RecordTransferOnceAsync(agentId, withdrawalId, state, transferBillNo, packageInfo, cancellationToken);
        if (recorded is not null) await PublishAsync(agentId, withdrawalId, cancellationToken);
        return recorded;
    }

    private async Task<Withdrawal?> RecordTransferOnceAsync(string agentId, string withdrawalId, WithdrawalState state, string? transferBillNo, string? packageInfo,
        CancellationToken cancellationToken) =>
        await concurrency.RunAsync<Withdrawal?>(async ct =>
        {
            var partition = Partition(agentId);
            var row = await _table.FindAsync<TableEntity>(partition, WithdrawalPrefix + withdrawalId, ct);
            if (row is null) return null;
            var current = ReadWithdrawal(agentId, row);
            if (current.IsFinal || (current.State == state && current.PackageInfo == (packageInfo ?? current.PackageInfo))) return current;
            var updated = current with { State = state, TransferBillNo = transferBillNo ?? current.TransferBillNo, PackageInfo = packageInfo ?? current.PackageInfo };
            var written = WithdrawalRow(partition, updated);
            written.ETag = row.ETag;
            var transaction = new PartitionTransaction(partition).Add(TableTransactionActionType.UpdateReplace, written);
            if (updated.IsFinal) transaction.Add(TableTransactionActionType.Add, WithdrawalEvent(partition, updated, state.ToString().ToLowerInvariant()));
            if (state is WithdrawalState.Failed or WithdrawalState.Cancelled)
            {
                var balanceRow = await _table.FindAsync<TableEntity>(partition, BalanceRow, ct);
                var balance = Read(balanceRow);
                transaction.Add(TableTransactionActionType.UpdateReplace, Write(partition, balance with { WithdrawnFen = balance.WithdrawnFen - current.AmountFen }, balanceRow));
            }
            await transaction.SubmitAsync(_table, ct);
            return updated;
        }, cancellationToken);

    private const string WithdrawalPrefix = "wd|";

    /// <summary>
    /// o2o.commission.withdrawal.requested|succeeded|failed|cancelled, one of each at most per
    /// withdrawal (its id names the kind), written with the change it tells of.
    /// </summary>
    private TableEntity WithdrawalEvent(string partition, Withdrawal w, string kind)
    {
        var eventId = $"{w.Id}.{kind}";
        var data = new WithdrawalChanged(w.AgentId, w.Id, w.AmountFen, w.State.ToString(), w.TransferBillNo);
        return new TableEntity(partition, $"{EventPrefix}{w.Id}|{eventId}")
        {
            ["EventId"] = eventId, ["Type"] = "o2o.commission.withdrawal." + kind, ["OccurredAt"] = clock.GetUtcNow(),
            ["Subject"] = $"agents/{w.AgentId}/withdrawals/{w.Id}",
            ["DataJson"] = System.Text.Json.JsonSerializer.Serialize(data, StorageJson.Options), ["State"] = Orders.OutboxState.NotPublished,
        };
    }

    private static TableEntity WithdrawalRow(string partition, Withdrawal w) => new(partition, WithdrawalPrefix + w.Id)
    {
        ["AmountFen"] = w.AmountFen, ["State"] = w.State.ToString(), ["OpenId"] = w.OpenId, ["RequestHash"] = w.RequestHash, ["CreatedAt"] = w.CreatedAt,
        ["TransferBillNo"] = w.TransferBillNo, ["PackageInfo"] = w.PackageInfo,
        ["PayeeName"] = w.IsFinal ? null : w.PayeeName, // a real name is kept no longer than it is needed
    };

    private static Withdrawal ReadWithdrawal(string agentId, TableEntity row) => new(
        row.RowKey[WithdrawalPrefix.Length..], agentId, row.GetInt64("AmountFen") ?? 0, row.GetString("OpenId"), row.GetString("RequestHash"),
        row.GetDateTimeOffset("CreatedAt") ?? default, Enum.Parse<WithdrawalState>(row.GetString("State")))
    {
        TransferBillNo = row.GetString("TransferBillNo"), PackageInfo = row.GetString("PackageInfo"), PayeeName = row.GetString("PayeeName"),
    };
}
