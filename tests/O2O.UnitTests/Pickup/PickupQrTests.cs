using O2O.Domain.Orders;

namespace O2O.UnitTests.Pickup;

public sealed class PickupQrTests
{
    [Theory]
    [InlineData("o2o-pickup:S-001:042917", "S-001", "042917")] // scanned at its own store
    [InlineData("042917", "S-001", "042917")]                  // typed
    [InlineData("o2o-pickup:S-002:042917", "S-001", null)]     // another store's QR code
    [InlineData("o2o-pickup:S-0011:042917", "S-001", null)]    // a store whose id merely starts alike
    [InlineData(null, "S-001", null)]
    public void A_scanned_payload_yields_its_code_only_at_its_own_store(string? input, string storeId, string? expected) =>
        Assert.Equal(expected, PickupQr.CodeOf(input, storeId));

    [Fact]
    public void The_payload_names_the_store_and_the_code_and_nothing_else() =>
        Assert.Equal("o2o-pickup:S-001:042917", PickupQr.Payload("S-001", "042917"));
}
