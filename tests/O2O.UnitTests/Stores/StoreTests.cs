using O2O.Domain.Stores;

namespace O2O.UnitTests.Stores;

public sealed class StoreTests
{
    private static readonly GeoPoint PeoplesSquare = new(31.2304, 121.4737);
    private static readonly GeoPoint Lujiazui = new(31.2397, 121.4998);

    [Fact]
    public void Distances_are_great_circle_metres()
    {
        Assert.Equal(111_195, new GeoPoint(0, 0).DistanceMetersTo(new GeoPoint(0, 1)), precision: 0);
        Assert.InRange(PeoplesSquare.DistanceMetersTo(Lujiazui), 2_650, 2_700);
        Assert.Equal(0, PeoplesSquare.DistanceMetersTo(PeoplesSquare));
    }

    [Fact]
    public void A_store_delivers_only_within_its_radius_when_open_and_delivering()
    {
        var store = Store.Create("S-001", new StoreInput("People's Square", PeoplesSquare.Lat, PeoplesSquare.Lng, true, true, 3000, true)).Value!;

        Assert.True(store.Delivers(Lujiazui));
        Assert.False((store with { DeliveryRadiusM = 2000 }).Delivers(Lujiazui));
        Assert.False((store with { Open = false })
            .TakesOrders(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc, O2O.Domain.Orders.FulfillmentMode.Delivery).Taking); // the switch, whatever the hours
        Assert.False((store with { Delivery = false }).Delivers(Lujiazui));
    }

    [Theory]
    [InlineData(90.5, 121.0, true, 1000L, "lat")]
    [InlineData(31.0, 180.5, true, 1000L, "lng")]
    [InlineData(31.0, 121.0, true, 0L, "deliveryRadiusM")]
    [InlineData(31.0, 121.0, false, 60_000L, "deliveryRadiusM")]
    [InlineData(double.NaN, 121.0, false, 0L, "lat")]
    public void An_invalid_store_names_the_field(double lat, double lng, bool delivery, long radius, string field)
    {
        var store = Store.Create("S-001", new StoreInput("x", lat, lng, true, delivery, radius, true));

        Assert.Equal([field], store.Error!.FieldErrors!.Keys);
    }

    [Fact]
    public void Stock_available_is_on_hand_less_reserved_and_a_shortfall_is_shown_not_hidden()
    {
        var level = new StockLevel("S-001", "TEA-001", 10, 3);

        Assert.Equal(7, level.Available);
        Assert.Equal(0, level.Shortfall);
        Assert.Equal(0, level.WithOnHand(2).Available);
        Assert.Equal(1, level.WithOnHand(2).Shortfall);
        Assert.False(StockLevel.ValidOnHand(-1).IsSuccess);
        Assert.False(StockLevel.ValidOnHand(StockLevel.MaxOnHand + 1).IsSuccess);
        Assert.Equal(5, StockLevel.ValidOnHand(5).Value);
    }
}
