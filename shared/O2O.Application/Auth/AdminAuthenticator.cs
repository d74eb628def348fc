using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace O2O.Application.Auth;

/// <summary>Checks the operator's bearer key without leaking, through timing, how much of it matched.</summary>
public sealed class AdminAuthenticator(IOptions<AuthSettings> settings)
{
    /// <summary>Shorter keys are treated as unset: the admin API then refuses everyone.</summary>
    public const int MinKeyLength = 16;

    private readonly byte[]? _expectedHash = settings.Value.AdminApiKey.Length >= MinKeyLength
        ? SHA256.HashData(Encoding.UTF8.GetBytes(settings.Value.AdminApiKey))
        : null;

    public bool IsAdmin(string? presentedKey)
    {
        if (_expectedHash is null || string.IsNullOrEmpty(presentedKey)) return false;
        // Hashing first gives equal-length inputs, so the comparison time says nothing about the key.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey)), _expectedHash);
    }
}
