using O2O.Domain.Common;
using O2O.Domain.Stores;

namespace O2O.Application.Stores;

/// <summary>The operator's stores: where they are, what they fulfil, and whether they are open.</summary>
public sealed class StoreService(StoreTable stores, StoreDirectory directory, TimeProvider clock)
{
    public async Task<Result<StoreView>> PutAsync(string storeId, StoreInput input, CancellationToken cancellationToken)
    {
        var store = Store.Create(storeId, input);
        if (!store.IsSuccess) return store.Error;
        var updatedAt = clock.GetUtcNow();
        await stores.UpsertAsync(store.Value, updatedAt, cancellationToken);
        directory.Invalidate();
        return StoreTable.StoreEntity.From(store.Value, updatedAt).ToView();
    }

    public async Task<Result<StoreView>> GetAsync(string storeId, CancellationToken cancellationToken)
    {
        var store = Identifier.IsValid(storeId) ? await stores.FindAsync(storeId, cancellationToken) : null;
        return store is null ? NotFound(storeId) : store.ToView();
    }

    public async Task<IReadOnlyList<StoreView>> ListAsync(CancellationToken cancellationToken) =>
        (await stores.ListAsync(cancellationToken)).Select(s => s.ToView()).ToList();

    public static Error NotFound(string storeId) => Error.NotFound($"There is no store '{storeId}'.");
}
