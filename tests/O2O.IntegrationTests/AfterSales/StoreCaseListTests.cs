using O2O.Application.AfterSales;
using O2O.Domain.AfterSales;

namespace O2O.IntegrationTests.AfterSales;

/// <summary>The store's list of cases is a projection of the order: whatever order two projections finish in, the newer state stays.</summary>
public sealed class StoreCaseListTests
{
    [Fact]
    public async Task An_older_projection_that_wins_the_race_is_overwritten_by_the_newer_one_and_never_the_reverse()
    {
        const int Trials = 20;
        var app = await TestApp.Shared;
        var cases = app.Host.Services.GetRequiredService<StoreAfterSalesTable>();
        var now = DateTimeOffset.UtcNow;
        var stores = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var store = TestApp.UniqueId("S");
            stores.Add(store);
            var (requested, refunding) = (OrderWithCase(store, now, approve: false), OrderWithCase(store, now, approve: true));
            // Both start from an empty list: whichever adds its row first, the other loses with 409.
            await Task.WhenAll(
                Task.Run(() => cases.ProjectAsync(refunding, version: 4, AfterSalesPolicy.Default, CancellationToken.None)),
                Task.Run(() => cases.ProjectAsync(requested, version: 3, AfterSalesPolicy.Default, CancellationToken.None)));
        }

        foreach (var store in stores)
        {
            var listed = Assert.Single((await cases.ListAsync(store, null, null, null, CancellationToken.None)).Value!.Items);
            Assert.Equal("Refunding", listed.Stage);
        }
    }

    private static Order OrderWithCase(string store, DateTimeOffset at, bool approve)
    {
        var order = Order.Place("o-" + store, "c-" + store, [new OrderLine("TEA-001", "Tea", 2, 1800)], new Fulfillment.PickupAt(store), store,
            at, TimeSpan.FromMinutes(15), agentCode: null, note: null);
        order.RecordPayment("wx-" + store, order.TotalFen, at);
        order.Accept(at, "store");
        var asked = order.RequestAfterSales(new AfterSalesInput("refund", [new LineInput("TEA-001", 1)], "cold", null, null),
            "k", "h", at, AfterSalesPolicy.Default).Value!;
        if (approve) order.ApproveAfterSales(asked.Id, at, "store", AfterSalesPolicy.Default, headOffice: false);
        return order;
    }
}
