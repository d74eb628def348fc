using O2O.Domain.Agents;

namespace O2O.UnitTests.Agents;

public sealed class AgentBalanceTests
{
    [Fact]
    public void An_entry_moves_its_amount_between_states_and_the_total_stays()
    {
        var earned = AgentBalance.Zero.Add(CommissionState.Pending, 299);
        var locked = earned.Move(CommissionState.Pending, CommissionState.Locked, 299);
        var reversed = locked.Add(CommissionState.Locked, -100);
        var available = reversed.Move(CommissionState.Locked, CommissionState.Available, 199);

        Assert.Equal(new AgentBalance(299, 0, 0, 0), earned);
        Assert.Equal(new AgentBalance(0, 299, 0, 0), locked);
        Assert.Equal(new AgentBalance(0, 199, 0, 0), reversed);
        Assert.Equal(new AgentBalance(0, 0, 199, 0), available);
    }

    [Fact]
    public void A_withdrawal_reserves_only_what_is_withdrawable_and_a_failed_one_gives_it_back()
    {
        var balance = new AgentBalance(500, 300, 1_000, 400);

        Assert.Equal(600, balance.WithdrawableFen); // pending and locked commission cannot be withdrawn
        Assert.Equal(new AgentBalance(500, 300, 1_000, 1_000), balance.Reserve(600));
        Assert.Null(balance.Reserve(601));
        Assert.Null(balance.Reserve(0));
        Assert.Equal(balance, balance.Reserve(600)!.GiveBack(600));
    }

    [Fact]
    public void A_refund_after_a_withdrawal_can_take_the_balance_below_zero_and_nothing_is_withdrawable_then()
    {
        var withdrawn = new AgentBalance(0, 0, 299, 0).Reserve(299)!;

        var refunded = withdrawn.Add(CommissionState.Available, -100);

        Assert.Equal(-100, refunded.WithdrawableFen);
        Assert.Null(refunded.Reserve(10));
    }

    [Fact]
    public void A_transfer_answer_moves_a_withdrawal_once_and_a_final_state_never_changes()
    {
        var reserved = new Withdrawal("wd1", "A-1", 500, "openid", "hash", DateTimeOffset.UnixEpoch, WithdrawalState.Reserved);

        var processing = reserved.WithTransfer(WithdrawalState.Processing, "bill-1", "pkg");
        var again = processing!.WithTransfer(WithdrawalState.Processing, null, null);
        var failed = processing.WithTransfer(WithdrawalState.Failed, null, null);

        Assert.Equal((WithdrawalState.Processing, "bill-1", "pkg"), (processing.State, processing.TransferBillNo, processing.PackageInfo));
        Assert.Null(again);
        Assert.Equal((WithdrawalState.Failed, "bill-1", true), (failed!.State, failed.TransferBillNo, failed.GivesBack));
        Assert.Null(failed.WithTransfer(WithdrawalState.Succeeded, "bill-2", null));
        Assert.False(processing.GivesBack);
    }
}
