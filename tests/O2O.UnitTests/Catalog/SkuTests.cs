using O2O.Domain.Catalog;
using O2O.Domain.Common;

namespace O2O.UnitTests.Catalog;

public sealed class SkuTests
{
    [Fact]
    public void A_valid_sku_keeps_its_price_in_fen_and_a_trimmed_name()
    {
        var sku = Sku.Create("TEA-001", "  Jasmine  ", 1800, true);

        Assert.True(sku.IsSuccess);
        Assert.Equal(new Sku("TEA-001", "Jasmine", 1800, true), sku.Value);
    }

    [Theory]
    [InlineData("TEA 001", "x", 1L, true, "sku")]
    [InlineData("TEA-001", "", 1L, true, "name")]
    [InlineData("TEA-001", "x", -1L, true, "priceFen")]
    [InlineData("TEA-001", "x", Sku.MaxPriceFen + 1, true, "priceFen")]
    [InlineData("TEA-001", "x", null, true, "priceFen")]
    [InlineData("TEA-001", "x", 1L, null, "active")]
    public void An_invalid_sku_names_the_field(string id, string? name, long? priceFen, bool? active, string field)
    {
        var sku = Sku.Create(id, name, priceFen, active);

        Assert.False(sku.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, sku.Error.Code);
        Assert.Equal([field], sku.Error.FieldErrors!.Keys);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void An_agents_rate_on_a_sku_is_between_0_and_10000_basis_points(int commissionBps)
    {
        Assert.Equal(["commissionBps"], Sku.Create("TEA-001", "x", 1, true, commissionBps).Error!.FieldErrors!.Keys);
        Assert.Equal(1200, Sku.Create("TEA-001", "x", 1, true, 1200).Value!.CommissionBps);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var sku = Sku.Create("ok", null, -5, null);

        Assert.Equal(["name", "priceFen", "active"], sku.Error!.FieldErrors!.Keys);
    }
}
