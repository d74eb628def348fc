using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using O2O.Application.Auth;
using O2O.Application.Storage;
using O2O.Domain.Common;

namespace O2O.Application.Stores;

public sealed record IssuedStoreKey(string StoreId, string Key, DateTimeOffset IssuedAt, DateTimeOffset? PreviousKeyValidUntil);

/// <summary>
/// Store staff credentials. A key is 32 random bytes, shown once; only HMAC-SHA256(pepper, salt +
/// key) is stored, with a salt of its own. Rotating keeps the previous key valid for a grace
/// period, so the store's devices can switch over without an outage. Every store request is
/// checked, so a store's key row is held in memory for <see cref="CachedSnapshot{T}.Ttl"/>: a key
/// issued on this instance counts at once, one issued on another within that time.
/// </summary>
public sealed class StoreKeys(StoreTable stores, IOptions<AuthSettings> settings, TimeProvider clock)
{
    public const int MinPepperLength = 16;

    private readonly ConcurrentDictionary<string, CachedRow> _rows = new();

    private sealed record CachedRow(StoreTable.StoreKeyEntity? Row, DateTimeOffset ExpiresAt);

    public async Task<Result<IssuedStoreKey>> IssueAsync(string storeId, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(storeId) || await stores.FindAsync(storeId, cancellationToken) is null) return StoreService.NotFound(storeId);
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        var now = clock.GetUtcNow();
        var row = await stores.FindKeyAsync(storeId, cancellationToken) ?? StoreTable.StoreKeyEntity.New(storeId);
        if (row.CurrentHash is not null)
        {
            row.PreviousSalt = row.CurrentSalt;
            row.PreviousHash = row.CurrentHash;
            row.PreviousValidUntil = now + TimeSpan.FromMinutes(settings.Value.StoreKeyGraceMinutes);
        }
        row.CurrentSalt = Convert.ToBase64String(salt);
        row.CurrentHash = Convert.ToBase64String(Hash(salt, key));
        row.IssuedAt = now;
        await stores.SaveKeyAsync(row, cancellationToken);
        _rows[storeId] = new CachedRow(row, now + CachedSnapshot<object>.Ttl);
        return new IssuedStoreKey(storeId, key, now, row.PreviousValidUntil > now ? row.PreviousValidUntil : null);
    }

    /// <summary>Whether <paramref name="presentedKey"/> is the store's current key, or its previous one within the grace period.</summary>
    public async Task<bool> OpensAsync(string storeId, string? presentedKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 100 || !Identifier.IsValid(storeId)) return false;
        var row = await RowAsync(storeId, cancellationToken);
        if (row?.CurrentHash is null) return false;
        if (Matches(row.CurrentSalt, row.CurrentHash, presentedKey)) return true;
        return row.PreviousHash is not null && clock.GetUtcNow() < row.PreviousValidUntil && Matches(row.PreviousSalt, row.PreviousHash, presentedKey);
    }

    private async Task<StoreTable.StoreKeyEntity?> RowAsync(string storeId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_rows.TryGetValue(storeId, out var cached) && now < cached.ExpiresAt) return cached.Row;
        var row = await stores.FindKeyAsync(storeId, cancellationToken);
        // Only a store that has a key is held: a request naming any other id costs a read, never memory.
        if (row is null) return null;
        // Not over a key issued here meanwhile, which is newer than what this read may have seen.
        _rows.AddOrUpdate(storeId, new CachedRow(row, now + CachedSnapshot<object>.Ttl),
            (_, current) => current.ExpiresAt > now ? current : new CachedRow(row, now + CachedSnapshot<object>.Ttl));
        return row;
    }

    private bool Matches(string? salt, string hash, string presentedKey) =>
        salt is not null && CryptographicOperations.FixedTimeEquals(Hash(Convert.FromBase64String(salt), presentedKey), Convert.FromBase64String(hash));

    private byte[] Hash(byte[] salt, string key)
    {
        var pepper = settings.Value.StoreKeyPepper;
        if (pepper.Length < MinPepperLength) throw new InvalidOperationException($"Auth__StoreKeyPepper must be at least {MinPepperLength} characters.");
        byte[] message = [.. salt, .. Encoding.UTF8.GetBytes(key)];
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(pepper), message);
    }
}
