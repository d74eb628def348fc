using System.Text.Json;
using Microsoft.Extensions.Options;
using O2O.Application.Payments.WeChatPay;
using O2O.Domain.Common;

namespace O2O.Application.Payments;

/// <summary>
/// WeChat Pay's notifications: believed only when signed by a known key within the replay window,
/// decrypted with the APIv3 key, then applied. Every refusal is an error the route answers with a
/// 4xx (never a 200, which WeChat Pay would take as accepted).
/// </summary>
public sealed class PaymentNotifications(
    WeChatPayKeys keys, IOptions<WeChatPaySettings> settings, PaymentService payments,
        RefundService refunds, Agents.WithdrawalService withdrawals, TimeProvider clock)
{
    public async Task<Result<string>> HandleAsync(NotificationHeaders headers, byte[] body, CancellationToken cancellationToken)
    {
        var forged = new NotificationVerifier(keys.Platform, clock).Check(headers, body);
        if (forged is not null) return Error.Unauthorized($"The notification is not from WeChat Pay: {forged}.");

        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(body);
        }
        catch (JsonException)
        {
            envelope = null;
        }
        if (envelope?.Resource is not { Ciphertext: { } ciphertext, Nonce: { } nonce } resource)
            return Error.Validation("resource", "is missing");
        var plaintext = WeChatPayResource.Decrypt(settings.Value.ApiV3Key, ciphertext, nonce, resource.AssociatedData);
        if (plaintext is null) return Error.Validation("resource", "does not decrypt with this merchant's APIv3 key");

        switch (envelope.EventType)
        {
            case "TRANSACTION.SUCCESS":
                var paid = await payments.ApplyTransactionAsync(JsonSerializer.Deserialize<Transaction>(plaintext)!, cancellationToken);
                return paid.IsSuccess ? paid.Value.ToString() : paid.Error;
            case "REFUND.SUCCESS" or "REFUND.ABNORMAL" or "REFUND.CLOSED":
                var refund = await refunds.ApplyNoticeAsync(JsonSerializer.Deserialize<RefundNotice>(plaintext)!, cancellationToken);
                return refund.IsSuccess ? refund.Value.ToString() : refund.Error;
            case "MCHTRANSFER.BILL.FINISHED":
                var transfer = JsonSerializer.Deserialize<TransferAnswer>(plaintext)!;
                if (transfer.MchId != settings.Value.MchId) return Error.Validation("resource.mch_id", "is not this merchant");
                return await withdrawals.ApplyNoticeAsync(transfer, cancellationToken);
            default:
                return "ignored"; // genuine, but nothing this app subscribes to
        }
    }

    private sealed record Envelope(
        [property: System.Text.Json.Serialization.JsonPropertyName("event_type")] string? EventType,
        [property: System.Text.Json.Serialization.JsonPropertyName("resource")] Resource? Resource);

    private sealed record Resource(
        [property: System.Text.Json.Serialization.JsonPropertyName("ciphertext")] string? Ciphertext,
        [property: System.Text.Json.Serialization.JsonPropertyName("nonce")] string? Nonce,
        [property: System.Text.Json.Serialization.JsonPropertyName("associated_data")] string? AssociatedData);
}
