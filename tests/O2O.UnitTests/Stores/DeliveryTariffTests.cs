using O2O.Domain.Common;
using O2O.Domain.Stores;

namespace O2O.UnitTests.Stores;

public sealed class DeliveryTariffTests
{
    private static readonly DeliveryTariff Tariff = new(BaseFen: 500, PerKmFen: 150, FreeAboveFen: 10_000);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1000, 500)]    // the base covers the first kilometre
    [InlineData(1001, 650)]    // each further started kilometre costs one step
    [InlineData(4200, 1100)]
    public void The_fee_is_the_base_plus_a_step_per_started_kilometre_after_the_first(double distanceM, long expectedFen) =>
        Assert.Equal(expectedFen, Tariff.FeeFen(distanceM, itemsTotalFen: 3600));

    [Fact]
    public void An_order_at_or_above_the_free_threshold_rides_free_and_a_zero_threshold_never_does()
    {
        Assert.Equal(0, Tariff.FeeFen(4200, itemsTotalFen: 10_000));
        Assert.Equal(650, (Tariff with { FreeAboveFen = 0 }).FeeFen(1500, itemsTotalFen: 1_000_000));
    }

    [Fact]
    public void Negative_or_absurd_tariffs_are_refused_field_by_field()
    {
        var errors = new ValidationErrors();
        DeliveryTariff.Create(-1, 100_001, -5, errors);

        var fields = errors.ToError().FieldErrors!.Keys;
        Assert.Equal(["deliveryBaseFeeFen", "deliveryFeePerKmFen", "freeDeliveryAboveFen"], fields.Order());
    }
}
