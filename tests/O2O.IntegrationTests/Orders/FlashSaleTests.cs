using O2O.Benchmarks;
using Xunit.Abstractions;

namespace O2O.IntegrationTests.Orders;

/// <summary>
/// The flash sale benchmark in miniature (`-- flash-sale` runs 1,000 buyers for 100 units): many
/// buyers at once for a few units of one SKU at one store, the winners paying at once. Exactly as
/// many paid orders as units, none oversold, every other buyer told out_of_stock, the store's
/// books consistent afterwards.
/// </summary>
public sealed class FlashSaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_buyers_for_twenty_units_get_exactly_twenty_paid_orders_and_nothing_is_oversold()
    {
        var result = await FlashSaleBenchmark.RunAsync(new FlashSaleBenchmark.Options(Buyers: 200, Units: 20));
        output.WriteLine(FlashSaleBenchmark.Report(result));

        Assert.Equal((20, 20, 180), (result.Created, result.Paid, result.OutOfStock));
        Assert.Empty(result.OtherAnswers);
        Assert.Equal((20, 20), result.Stock);
        Assert.Empty(result.Findings);
        Assert.Empty(result.Broken());
    }
}
