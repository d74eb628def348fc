using O2O.Application.Storage.Outbox;
using O2O.Domain.Orders;

namespace O2O.Application.Orders;

/// <summary>
/// What follows an order's events without the order knowing of it: a store's queue, the lists of
/// after-sales cases, the agents' ledgers. Each feature registers its own; the outbox relay calls
/// every one for each batch it publishes and names none. A batch can be followed twice (published
/// again after a crash), so a follower is idempotent.
/// </summary>
public interface IOrderEventFollower
{
    /// <summary>After the batch reached the topic, before it is marked published: for a follower that must not miss one (it asks for durable work).</summary>
    Task BeforeMarkedAsync(Order order, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the batch is marked: for a projection of the order as it is, which never writes over a newer one.</summary>
    Task AfterMarkedAsync(OrderTable.StoredOrder stored, IReadOnlyList<OutboxRow> events, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
