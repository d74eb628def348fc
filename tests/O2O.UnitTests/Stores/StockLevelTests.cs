using O2O.Domain.Stores;

namespace O2O.UnitTests.Stores;

public sealed class StockLevelTests
{
    [Fact]
    public void A_sku_marked_sold_out_has_nothing_available_whatever_the_count()
    {
        var level = new StockLevel("S-1", "TEA", OnHand: 10, Reserved: 3, SoldOut: true);

        Assert.Equal(0, level.Available);
        Assert.Equal(7, (level with { SoldOut = false }).Available);
    }

    [Theory]
    [InlineData(-3, "breakage", 7)]
    [InlineData(5, "delivery", 15)]
    [InlineData(-10, "all gone", 0)]
    public void An_adjustment_moves_the_count_by_its_delta(long delta, string reason, int expected)
    {
        var adjusted = new StockLevel("S-1", "TEA", 10, 4).Adjusted(delta, reason);

        Assert.True(adjusted.IsSuccess);
        Assert.Equal(expected, adjusted.Value);
    }

    [Theory]
    [InlineData(0L, "x", "delta")]
    [InlineData(-11L, "x", "delta")]
    [InlineData(null, "x", "delta")]
    [InlineData(1L, null, "reason")]
    [InlineData(1L, " ", "reason")]
    public void An_adjustment_without_a_reason_or_below_zero_is_refused(long? delta, string? reason, string field)
    {
        var adjusted = new StockLevel("S-1", "TEA", 10, 0).Adjusted(delta, reason);

        Assert.False(adjusted.IsSuccess);
        Assert.Contains(field, adjusted.Error.FieldErrors!.Keys);
    }

    [Fact]
    public void Reserving_holds_units_on_the_shelf_releasing_gives_them_back_and_consuming_takes_them_off_the_shelf()
    {
        var level = new StockLevel("S-1", "TEA", OnHand: 10, Reserved: 0);

        var reserved = level.Reserve(3);
        var released = reserved.Release(3);
        var consumed = reserved.Consume(3);

        Assert.Equal((10, 3, 7), (reserved.OnHand, reserved.Reserved, reserved.Available));
        Assert.Equal((10, 0, 10), (released.OnHand, released.Reserved, released.Available));
        Assert.Equal((7, 0, 7), (consumed.OnHand, consumed.Reserved, consumed.Available));
    }

    [Fact]
    public void Settling_more_than_is_held_or_on_hand_never_goes_below_zero()
    {
        var level = new StockLevel("S-1", "TEA", OnHand: 1, Reserved: 1);

        Assert.Equal(0, level.Release(5).Reserved);
        Assert.Equal((0, 0), (level.Consume(5).OnHand, level.Consume(5).Reserved));
    }
}
