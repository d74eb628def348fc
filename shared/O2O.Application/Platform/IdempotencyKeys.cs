using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using O2O.Application.Storage;
using O2O.Domain.Common;

namespace O2O.Application.Platform;

/// <summary>
/// The one rule for an Idempotency-Key, whatever it makes (an order, a case, a withdrawal, a stock
/// adjustment), and the one hash that tells a repeated request from a different one under the
/// same key. A key is printable ASCII without the four characters a table row key refuses
/// (/ \ # ?), so any caller may store it as a key.
/// </summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 100;

    /// <summary>Whether the key is usable; if not, the 400 to answer, saying what a key is new for (<paramref name="newFor"/>: "each order").</summary>
    public static bool IsUsable([NotNullWhen(true)] string? key, string newFor, [NotNullWhen(false)] out Error? problem)
    {
        problem = key is { Length: > 0 and <= MaxLength } && key.All(c => c is > ' ' and <= '~' and not ('/' or '\\' or '#' or '?'))
            ? null
            : Error.Validation("Idempotency-Key", $"header is required: 1 to {MaxLength} printable ASCII characters other than / \\ # ?, new for {newFor}");
        return problem is null;
    }

    /// <summary>The request as parsed, re-serialised and hashed: the same request written with other spacing is the same request.</summary>
    public static string RequestHash<T>(T request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, StorageJson.Options)));
}
