using O2O.Application.Stores;
using O2O.Domain.Common;

namespace O2O.Functions.Http;

public static class StoreAccess
{
    public static readonly ApiResponse Denied = ApiResponse.Problem(
        Error.Unauthorized("This route needs the store's own key: 'Authorization: Bearer <store key>'."));

    /// <summary>Whether the request carries the key of exactly this store; another store's key opens nothing here.</summary>
    public static Task<bool> OpensAsync(this StoreKeys keys, string storeId, HttpRequest request, CancellationToken cancellationToken) =>
        keys.OpensAsync(storeId, Bearer.Token(request), cancellationToken);
}
