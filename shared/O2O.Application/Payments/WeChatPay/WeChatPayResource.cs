using System.Security.Cryptography;
using System.Text;

namespace O2O.Application.Payments.WeChatPay;

/// <summary>
/// The encrypted "resource" of a notification: AEAD_AES_256_GCM with the APIv3 key's UTF-8 bytes
/// as the key, resource.nonce as the nonce, resource.associated_data as AAD, and the base64
/// ciphertext ending in the 16-byte tag. (The official Go SDK's test vector uses a 16-byte key,
/// so AES-128 works too.)
/// </summary>
public static class WeChatPayResource
{
    private const int TagSize = 16;

    /// <summary>The plaintext JSON, or null if the key, nonce, AAD or ciphertext do not match.</summary>
    public static string? Decrypt(string apiV3Key, string ciphertextBase64, string nonce, string? associatedData)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(ciphertextBase64);
        }
        catch (FormatException)
        {
            return null;
        }
        var key = Encoding.UTF8.GetBytes(apiV3Key);
        var nonceBytes = Encoding.UTF8.GetBytes(nonce);
        if (sealedBytes.Length < TagSize || key.Length is not (16 or 24 or 32) || nonceBytes.Length != 12) return null;
        var plaintext = new byte[sealedBytes.Length - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonceBytes, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), plaintext,
                Encoding.UTF8.GetBytes(associatedData ?? ""));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Encrypts as WeChat Pay does (what the local sandbox uses); returns base64 ciphertext with the tag appended.</summary>
    public static string Encrypt(string apiV3Key, string plaintext, string nonce, string associatedData)
    {
        var input = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[input.Length + TagSize];
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), TagSize);
        aes.Encrypt(Encoding.UTF8.GetBytes(nonce), input, output.AsSpan(0, input.Length), output.AsSpan(input.Length), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }
}
