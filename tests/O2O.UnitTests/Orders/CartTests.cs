using O2O.Domain.Orders;

namespace O2O.UnitTests.Orders;

public sealed class CartTests
{
    private static readonly FulfillmentInput PickupAtStore = new("pickup", "S-001", null, null, null);

    [Fact]
    public void A_valid_pickup_cart_keeps_its_lines_and_trims_the_note()
    {
        var cart = Cart.Create(new CartInput([new LineInput("TEA-001", 2), new LineInput("CAKE-001", 1)], PickupAtStore, "A-7F3K", "  less sugar "));

        Assert.True(cart.IsSuccess);
        Assert.Equal([new CartLine("TEA-001", 2), new CartLine("CAKE-001", 1)], cart.Value.Lines);
        Assert.Equal(new Fulfillment.PickupAt("S-001"), cart.Value.Fulfillment);
        Assert.Equal("less sugar", cart.Value.Note);
    }

    [Fact]
    public void Pickup_near_a_position_and_delivery_to_an_address_are_understood()
    {
        var near = Cart.Create(new CartInput([new LineInput("TEA-001", 1)],
            new FulfillmentInput("pickup", null, new PointInput(31.2, 121.4), null, null), null, null));
        var delivery = Cart.Create(new CartInput([new LineInput("TEA-001", 1)],
            new FulfillmentInput("delivery", null, null, new AddressInput("88 Century Ave", "Shanghai", 31.24, 121.5),
                new ContactInput("Li Lei", "13800138000")), null, null));

        Assert.IsType<Fulfillment.PickupNear>(near.Value!.Fulfillment);
        var to = Assert.IsType<Fulfillment.Delivery>(delivery.Value!.Fulfillment);
        Assert.Equal("13800138000", to.Contact.Phone);
        Assert.Equal(31.24, to.Address.Location.Lat);
    }

    [Theory]
    [InlineData(0, "items")]
    [InlineData(51, "items")]
    public void The_number_of_lines_is_bounded(int count, string field)
    {
        var lines = Enumerable.Range(0, count).Select(i => (LineInput?)new LineInput($"SKU-{i}", 1)).ToList();

        Assert.Contains(field, Cart.Create(new CartInput(lines, PickupAtStore, null, null)).Error!.FieldErrors!.Keys);
    }

    [Fact]
    public void Every_bad_line_is_named_by_its_index()
    {
        var cart = Cart.Create(new CartInput(
            [new LineInput("TEA-001", 1), new LineInput("bad sku", 1), new LineInput("CAKE-001", 0), new LineInput("TEA-001", 2), null],
            PickupAtStore, null, null));

        Assert.Equal(["items[1].sku", "items[2].quantity", "items[3].sku", "items[4].sku", "items[4].quantity"], cart.Error!.FieldErrors!.Keys);
    }

    [Theory]
    [InlineData("1380013800")]
    [InlineData("23800138000")]
    [InlineData("1380013800x")]
    [InlineData("+8613800138000")]
    public void A_delivery_needs_a_mainland_mobile_number(string phone)
    {
        var cart = Cart.Create(new CartInput([new LineInput("TEA-001", 1)],
            new FulfillmentInput("delivery", null, null, new AddressInput("x", "Shanghai", 31.2, 121.4), new ContactInput("Li", phone)), null, null));

        Assert.Equal(["fulfillment.contact.phone"], cart.Error!.FieldErrors!.Keys);
    }

    [Fact]
    public void Pickup_without_a_store_or_a_position_is_refused()
    {
        var cart = Cart.Create(new CartInput([new LineInput("TEA-001", 1)], new FulfillmentInput("pickup", null, null, null, null), null, null));

        Assert.Equal(["fulfillment"], cart.Error!.FieldErrors!.Keys);
    }
}
