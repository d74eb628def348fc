using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;
using O2O.Application.Storage.Outbox;
using O2O.Domain.Agents;

namespace O2O.Application.Agents;

/// <summary>Withdrawals in the agent's partition ("wd|{id}"), written with their event and, when they move money, the balance.</summary>
public sealed partial class AgentsTable
{
    private const string WithdrawalPrefix = "wd|";

    public async Task<(Withdrawal Withdrawal, ETag ETag)?> FindWithdrawalAsync(string agentId, string withdrawalId, CancellationToken cancellationToken) =>
        await _table.FindAsync<WithdrawalRow>(AgentKey(agentId), WithdrawalPrefix + withdrawalId, cancellationToken) is { } row
            ? (row.ToWithdrawal(agentId), row.ETag)
            : null;

    /// <summary>A new withdrawal, its event and the balance it reserved: 409 if it exists meanwhile, 412 if the balance moved.</summary>
    public Task AddWithdrawalAsync(Withdrawal withdrawal, OutboxRow requested, StoredBalance read, AgentBalance written, CancellationToken cancellationToken) =>
        WithBalance(new PartitionTransaction(AgentKey(withdrawal.AgentId))
                .Add(TableTransactionActionType.Add, WithdrawalRow.From(withdrawal, default))
                .Add(TableTransactionActionType.Add, requested), withdrawal.AgentId, read, written)
            .SubmitAsync(_table, cancellationToken);

    /// <summary>A withdrawal as read (<paramref name="read"/>) changed, with its event and the balance it gives back, if any: 412 if it moved
    /// meanwhile.</summary>
    public Task UpdateWithdrawalAsync(Withdrawal withdrawal, ETag read, OutboxRow? evt, (StoredBalance Read, AgentBalance Written)? balance,
        CancellationToken cancellationToken)
    {
        var transaction = new PartitionTransaction(AgentKey(withdrawal.AgentId)).Add(TableTransactionActionType.UpdateReplace,
            WithdrawalRow.From(withdrawal, read));
        if (evt is not null) transaction.Add(TableTransactionActionType.Add, evt);
        if (balance is { } moved) WithBalance(transaction, withdrawal.AgentId, moved.Read, moved.Written);
        return transaction.SubmitAsync(_table, cancellationToken);
    }

    private sealed class WithdrawalRow : TableRow
    {
        public long AmountFen { get; set; }
        public string State { get; set; } = "";
        public string OpenId { get; set; } = "";
        public string RequestHash { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public string? TransferBillNo { get; set; }
        public string? PackageInfo { get; set; }
        public string? PayeeName { get; set; }

        public static WithdrawalRow From(Withdrawal w, ETag etag) => new()
        {
            PartitionKey = AgentKey(w.AgentId), RowKey = WithdrawalPrefix + w.Id, ETag = etag,
            AmountFen = w.AmountFen, State = w.State.ToString(), OpenId = w.OpenId, RequestHash = w.RequestHash, CreatedAt = w.CreatedAt,
            TransferBillNo = w.TransferBillNo, PackageInfo = w.PackageInfo,
            PayeeName = w.IsFinal ? null : w.PayeeName, // a real name is kept no longer than it is needed
        };

        public Withdrawal ToWithdrawal(string agentId) =>
            new(RowKey[WithdrawalPrefix.Length..], agentId, AmountFen, OpenId, RequestHash, CreatedAt, Enum.Parse<WithdrawalState>(State))
            {
                TransferBillNo = TransferBillNo, PackageInfo = PackageInfo, PayeeName = PayeeName,
            };
    }
}
