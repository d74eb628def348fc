using O2O.Domain.Orders;

namespace O2O.UnitTests.Orders;

/// <summary>Orders as storage hands them back, for tests of what a loaded order does.</summary>
internal static class StoredOrders
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A stored pickup order of <paramref name="quantity"/> teas at S-001, awaiting payment.</summary>
    public static OrderSnapshot Unpaid(int quantity) => new(
        "o-1", "c-1", [new OrderLine("TEA-001", "Tea", quantity, 1800)], new Fulfillment.PickupAt("S-001"), "S-001",
        Now, Now.AddMinutes(15), OrderStatus.PendingPayment);
}
