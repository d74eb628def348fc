using O2O.Application.Pickup;

namespace O2O.Functions.Pickup;

/// <summary>Every five minutes: remind consumers halfway through the hold time, cancel and refund uncollected pickups at its end.</summary>
public sealed class ExpirePickups(PickupExpiry expiry)
{
    [Function(nameof(ExpirePickups))]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        expiry.RunAsync(cancellationToken);
}
